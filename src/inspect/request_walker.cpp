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

  // Walks the request body: its members as any object's, noting on the way what they say
  // of the request's needs (tools declared or used), so that no second pass looks them up.
  void Body(const boost::json::object& body) {
    bool declares_tools = false;  // a non-empty "tools" or "functions"
    bool tool_choice_none = false;
    for (const auto& member : body) {
      const std::string_view key = member.key();
      const boost::json::value& value = member.value();
      if (key == "tools" || key == "functions") {
        declares_tools = declares_tools || NonEmptyArray(value);
      } else if (key == "tool_choice") {
        tool_choice_none = value.is_string() && value.get_string() == "none";
      }
      if (key == "messages" && value.is_array()) {
        Messages(value.get_array());
      } else {
        Member(key, value);
      }
    }
    if (declares_tools && !tool_choice_none) shape_.needs_tools = true;
  }

 private:
  static bool NonEmptyArray(const boost::json::value& v) {
    return v.is_array() && !v.get_array().empty();
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
          AppendIndex(i);
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
    for (const auto& member : o) Member(member.key(), member.value());
  }

  // The messages array: its object elements are messages, whose history (tool calls, tool
  // results) can need tools.
  void Messages(const boost::json::array& messages) {
    const std::size_t mark = pointer_.size();
    pointer_ += "/messages";
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const std::size_t element_mark = pointer_.size();
      AppendIndex(i);
      if (messages[i].is_object()) {
        for (const auto& member : messages[i].get_object()) {
          NoteMessageMember(member.key(), member.value());
          Member(member.key(), member.value());
        }
      } else {
        Value(messages[i], "messages");
      }
      pointer_.resize(element_mark);
    }
    pointer_.resize(mark);
  }

  void NoteMessageMember(std::string_view key, const boost::json::value& value) {
    if ((key == "tool_calls" && NonEmptyArray(value)) || key == "function_call") {
      shape_.needs_tools = true;
    } else if (key == "role" && value.is_string()) {
      const std::string_view role = value.get_string();
      if (role == "tool" || role == "function") shape_.needs_tools = true;
    }
  }

  void Member(std::string_view key, const boost::json::value& value) {
    if (key == "type" && value.is_string()) {
      const std::string_view t = value.get_string();
      if (t == "image_url" || t == "input_image" || t == "image") shape_.needs_vision = true;
    }
    const std::size_t mark = pointer_.size();
    pointer_.push_back('/');
    AppendPointerToken(pointer_, key);
    Value(value, key);
    pointer_.resize(mark);
  }

  void AppendIndex(std::size_t i) {
    char index[24];
    index[0] = '/';
    pointer_.append(index, std::to_chars(index + 1, index + sizeof(index), i).ptr);
  }

  const std::function<void(const std::string&, std::string_view)>& visit_;
  RequestShape& shape_;
  std::string pointer_;
};

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
  Walker walker(visit, shape);
  walker.Body(body);
  return shape;
}

}  // namespace lanewise::inspect
