#include "redact/minimum_context.h"

#include <boost/json/array.hpp>
#include <string_view>

namespace lanewise::redact {
namespace {

std::string_view RoleOf(const boost::json::value& message) {
  if (!message.is_object()) return {};
  const boost::json::value* role = message.get_object().if_contains("role");
  return role != nullptr && role->is_string() ? std::string_view(role->get_string())
                                              : std::string_view();
}

bool IsSystem(std::string_view role) {
  return role == "system" || role == "developer";
}

}  // namespace

ContextTrim ApplyMinimumContext(boost::json::object& body, const config::MinimumContext& limits) {
  ContextTrim trim;
  boost::json::value* messages_value = body.if_contains("messages");
  if (!limits.active() || messages_value == nullptr || !messages_value->is_array()) return trim;
  boost::json::array& messages = messages_value->get_array();

  std::vector<std::size_t> turns;  // indexes of non-system messages
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (!IsSystem(RoleOf(messages[i]))) turns.push_back(i);
  }
  std::size_t first_kept_turn = 0;
  if (limits.last_turns > 0 && turns.size() > static_cast<std::size_t>(limits.last_turns)) {
    first_kept_turn = turns.size() - static_cast<std::size_t>(limits.last_turns);
    while (first_kept_turn > 0 && RoleOf(messages[turns[first_kept_turn]]) == "tool") {
      --first_kept_turn;
    }
  }

  boost::json::array kept;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const bool system = IsSystem(RoleOf(messages[i]));
    bool keep;
    if (system) {
      keep = !limits.strip_system;
      if (!keep) trim.system_stripped = true;
    } else {
      keep = turns.empty() || i >= turns[first_kept_turn];
    }
    if (keep) {
      kept.push_back(std::move(messages[i]));
    } else {
      ++trim.messages_dropped;
    }
  }
  messages = std::move(kept);
  return trim;
}

}  // namespace lanewise::redact
