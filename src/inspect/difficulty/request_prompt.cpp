#include "inspect/difficulty/request_prompt.h"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

namespace lanewise::inspect {
namespace {

std::string_view StringOf(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return {};
  const boost::json::string& s = v->get_string();
  return {s.data(), s.size()};
}

// Calls `on_text` with each text of a message's content: the string itself, or every
// {"type": "text", "text": ...} part of an array.
template <typename OnText>
void ForEachContentText(const boost::json::value* content, OnText&& on_text) {
  if (content == nullptr) return;
  if (content->is_string()) {
    on_text(StringOf(content));
    return;
  }
  if (!content->is_array()) return;
  for (const boost::json::value& part : content->get_array()) {
    if (!part.is_object()) continue;
    const boost::json::object& p = part.get_object();
    if (StringOf(p.if_contains("type")) != "text") continue;
    on_text(StringOf(p.if_contains("text")));
  }
}

}  // namespace

void ReadRequestPrompt(const boost::json::object& body, RequestPrompt& out) {
  out.last_user_parts.clear();
  out.user_turns = 0;
  out.conversation_bytes = 0;
  out.has_system = false;
  const boost::json::value* messages = body.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) return;
  const boost::json::object* last_user = nullptr;
  for (const boost::json::value& m : messages->get_array()) {
    if (!m.is_object()) continue;
    const boost::json::object& message = m.get_object();
    const std::string_view role = StringOf(message.if_contains("role"));
    if (role == "user") {
      ++out.user_turns;
      last_user = &message;
    } else if (role == "system" || role == "developer") {
      out.has_system = true;
    }
    ForEachContentText(message.if_contains("content"),
                       [&](std::string_view text) { out.conversation_bytes += text.size(); });
  }
  if (last_user != nullptr) {
    ForEachContentText(last_user->if_contains("content"), [&](std::string_view text) {
      if (!text.empty()) out.last_user_parts.push_back(text);
    });
  }
}

std::size_t RequestedMaxTokens(const boost::json::object& body) {
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    const boost::json::value* v = body.if_contains(key);
    if (v == nullptr) continue;
    if (v->is_int64() && v->get_int64() > 0) return static_cast<std::size_t>(v->get_int64());
    if (v->is_uint64() && v->get_uint64() > 0) return static_cast<std::size_t>(v->get_uint64());
  }
  return 0;
}

std::string_view MetadataObjective(const boost::json::object& body) {
  const boost::json::value* metadata = body.if_contains("metadata");
  if (metadata == nullptr || !metadata->is_object()) return {};
  return StringOf(metadata->get_object().if_contains("lanewise_objective"));
}

}  // namespace lanewise::inspect
