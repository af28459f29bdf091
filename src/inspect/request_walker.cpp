#include "inspect/request_walker.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <charconv>

namespace lanewise::inspect {
namespace {

// Keys whose string values are protocol, not prose. Dispatched on the length first:
// comparisons with literals of a known length compile to a few integer compares (a loop
// over the list called memcmp per key, a visible cost on requests with many strings).
bool IsProtocolKey(std::string_view key) {
  switch (key.size()) {
    case 2:
      return key == "id";
    case 4:
      return key == "role" || key == "type" || key == "$ref";
    case 5:
      return key == "model" || key == "voice";
    case 6:
      return key == "detail" || key == "format";
    case 7:
      return key == "$schema" || key == "file_id";
    case 10:
      return key == "modalities";
    case 11:
      return key == "tool_choice";
    case 12:
      return key == "tool_call_id" || key == "service_tier";
    case 15:
      return key == "encoding_format";
    case 16:
      return key == "reasoning_effort";
    default:
      return false;
  }
}

// Keys that carry inline binary content (base64) rather than text.
bool IsBinaryKey(std::string_view key) {
  return key == "data" || key == "file_data" || key == "b64_json";
}

class Walker {
 public:
  Walker(const std::function<void(const std::string&, std::string_view)>& visit,
         RequestShape& shape)
      : visit_(visit), shape_(shape) {
    pointer_.reserve(64);
  }

  void Value(const boost::json::value& v, std::string_view key) {
    switch (v.kind()) {
      case boost::json::kind::string: {
        const boost::json::string& s = v.get_string();
        if (IsProtocolKey(key) || IsBinaryKey(key)) return;
        const std::string_view text(s.data(), s.size());
        if (text.empty()) return;
        if (key == "url" && text.substr(0, 5) == "data:") return;
        shape_.text_bytes += text.size();
        visit_(pointer_, text);
        return;
      }
      case boost::json::kind::object:
        Object(v.get_object());
        return;
      case boost::json::kind::array: {
        const boost::json::array& a = v.get_array();
        for (std::size_t i = 0; i < a.size(); ++i) {
          const std::size_t mark = pointer_.size();
          char index[24];
          index[0] = '/';
          pointer_.append(index, std::to_chars(index + 1, index + sizeof(index), i).ptr);
          Value(a[i], key);  // elements inherit the array's key (e.g. "stop", "enum")
          pointer_.resize(mark);
        }
        return;
      }
      default:
        return;
    }
  }

  void Object(const boost::json::object& o) {
    for (const auto& member : o) {
      if (member.key() == "type" && member.value().is_string()) {
        const std::string_view t = member.value().get_string();
        if (t == "image_url" || t == "input_image" || t == "image") shape_.needs_vision = true;
      }
      const std::size_t mark = pointer_.size();
      pointer_.push_back('/');
      AppendPointerToken(pointer_, member.key());
      Value(member.value(), member.key());
      pointer_.resize(mark);
    }
  }

 private:
  const std::function<void(const std::string&, std::string_view)>& visit_;
  RequestShape& shape_;
  std::string pointer_;
};

bool NonEmptyArray(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() && !v->get_array().empty();
}

}  // namespace

void AppendPointerToken(std::string& pointer, std::string_view token) {
  // A plain loop: find_first_of with a two-byte set calls memchr once per byte.
  const bool plain =
      std::none_of(token.begin(), token.end(), [](char c) { return c == '~' || c == '/'; });
  if (plain) {
    pointer += token;  // the usual case: nothing to escape
    return;
  }
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

RequestShape WalkRequest(
    const boost::json::object& body,
    const std::function<void(const std::string& pointer, std::string_view text)>& visit) {
  RequestShape shape;
  bool tool_choice_none = false;
  if (const auto* choice = body.if_contains("tool_choice");
      choice != nullptr && choice->is_string()) {
    tool_choice_none = choice->get_string() == "none";
  }
  shape.needs_tools =
      (NonEmptyArray(body, "tools") || NonEmptyArray(body, "functions")) && !tool_choice_none;
  if (const auto* messages = body.if_contains("messages");
      messages != nullptr && messages->is_array()) {
    for (const auto& m : messages->get_array()) {
      if (!m.is_object()) continue;
      const auto& msg = m.get_object();
      if (NonEmptyArray(msg, "tool_calls") || msg.contains("function_call")) {
        shape.needs_tools = true;
      }
      if (const auto* role = msg.if_contains("role"); role != nullptr && role->is_string()) {
        if (role->get_string() == "tool" || role->get_string() == "function") {
          shape.needs_tools = true;
        }
      }
    }
  }
  Walker walker(visit, shape);
  walker.Object(body);
  return shape;
}

}  // namespace lanewise::inspect
