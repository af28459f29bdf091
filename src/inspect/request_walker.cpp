#include "inspect/request_walker.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace lanewise::inspect {
namespace {

// String values of a fixed vocabulary that the request schema validates (roles, content-part
// and tool types, tool_choice modes, enums) and JSON Schema's type names: no sensitive
// value is one of them, so they are not scanned. Dispatched on the length first.
bool IsVocabularyWord(std::string_view s) {
  switch (s.size()) {
    case 3:
      return s == "low" || s == "wav" || s == "mp3" || s == "aac";
    case 4:
      return s == "user" || s == "tool" || s == "text" || s == "file" || s == "auto" ||
             s == "none" || s == "high" || s == "null" || s == "flac" || s == "opus" || s == "flex";
    case 5:
      return s == "array" || s == "audio" || s == "image" || s == "scale";
    case 6:
      return s == "system" || s == "string" || s == "number" || s == "object" || s == "medium" ||
             s == "pcm16";
    case 7:
      return s == "boolean" || s == "integer" || s == "refusal" || s == "default" ||
             s == "minimal" || s == "content";
    case 8:
      return s == "function" || s == "required" || s == "priority";
    case 9:
      return s == "assistant" || s == "developer" || s == "image_url";
    case 11:
      return s == "input_audio" || s == "json_object" || s == "json_schema" || s == "input_image";
    default:
      return false;
  }
}

// Members whose values are free-form objects (metadata, JSON schemas, logit_bias): their
// keys are the client's own words and are scanned too.
bool OpensFreeForm(std::string_view key) {
  return key == "metadata" || key == "parameters" || key == "schema" || key == "json_schema" ||
         key == "logit_bias" || key == "properties";
}

// Top-level fields whose objects the request schema validates member by member.
bool IsStructuredField(std::string_view key) {
  return key == "tools" || key == "functions" || key == "response_format" ||
         key == "stream_options" || key == "tool_choice" || key == "function_call" ||
         key == "prediction" || key == "audio";
}

// JSON Schema's own keywords, which need no scanning as keys.
bool IsSchemaKeyword(std::string_view key) {
  switch (key.size()) {
    case 4:
      return key == "type" || key == "enum" || key == "$ref";
    case 5:
      return key == "items" || key == "title" || key == "anyOf" || key == "oneOf" || key == "allOf";
    case 6:
      return key == "format";
    case 7:
      return key == "pattern" || key == "default" || key == "$schema";
    case 8:
      return key == "required";
    case 10:
      return key == "properties";
    case 11:
      return key == "description";
    case 20:
      return key == "additionalProperties";
    default:
      return false;
  }
}

// Keys that carry inline binary content (base64) rather than text.
bool IsBinaryKey(std::string_view key) {
  return key == "data" || key == "file_data" || key == "b64_json";
}

// Base64 (standard or URL-safe alphabet, padding, line breaks): binary content, not text.
// Anything else under a binary key is scanned like any string.
bool IsBase64(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=' || c == '-' || c == '_' || c == '\r' || c == '\n';
  });
}

// A data: URL whose payload is base64.
bool IsBase64DataUrl(std::string_view url) {
  if (url.substr(0, 5) != "data:") return false;
  const std::size_t comma = url.find(',');
  if (comma == std::string_view::npos) return false;
  const std::string_view header = url.substr(0, comma);
  return header.ends_with(";base64") && IsBase64(url.substr(comma + 1));
}

class Walker {
 public:
  Walker(const std::function<void(const std::string&, std::string_view)>& visit,
         RequestShape& shape, std::deque<std::string>& numbers)
      : visit_(visit), shape_(shape), numbers_(numbers) {
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
      } else if (key == "model") {
        continue;  // the alias: never sent (each lane writes its own upstream model)
      } else if (!IsStructuredField(key)) {
        // Anything else (metadata, provider extensions) is free-form: its keys are read too.
        const bool was_free_form = free_form_;
        free_form_ = true;
        Member(key, value);
        free_form_ = was_free_form;
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
        const std::string_view text(s.data(), s.size());
        if (text.empty() || IsVocabularyWord(text)) return;
        if (IsBinaryKey(key) && IsBase64(text)) return;
        if (key == "url" && IsBase64DataUrl(text)) return;
        shape_.text_bytes += text.size();
        visit_(pointer_, text);
        return;
      }
      case boost::json::kind::int64:
      case boost::json::kind::uint64:
      case boost::json::kind::double_: {
        std::string digits = NumberText(v);
        if (digits.size() < kShortestScannedNumber) return;
        numbers_.push_back(std::move(digits));
        visit_(pointer_, numbers_.back());
        return;
      }
      case boost::json::kind::object: {
        const bool was_free_form = free_form_;
        free_form_ = free_form_ || OpensFreeForm(key);
        Object(v.get_object());
        free_form_ = was_free_form;
        return;
      }
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
    for (const auto& member : o) {
      if (free_form_ && !IsSchemaKeyword(member.key())) Key(member.key());
      Member(member.key(), member.value());
    }
  }

  // A free-form object's key, scanned as text at its member's pointer plus kKeySuffix.
  void Key(std::string_view key) {
    if (key.empty() || IsVocabularyWord(key)) return;
    const std::size_t mark = pointer_.size();
    pointer_.push_back('/');
    AppendPointerToken(pointer_, key);
    pointer_ += kKeySuffix;
    shape_.text_bytes += key.size();
    visit_(pointer_, key);
    pointer_.resize(mark);
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
  std::deque<std::string>& numbers_;
  std::string pointer_;
  bool free_form_ = false;  // inside metadata, a JSON schema or logit_bias
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

std::string NumberText(const boost::json::value& number) {
  char buffer[32];
  switch (number.kind()) {
    case boost::json::kind::int64:
      return std::string(buffer,
                         std::to_chars(buffer, buffer + sizeof(buffer), number.get_int64()).ptr);
    case boost::json::kind::uint64:
      return std::string(buffer,
                         std::to_chars(buffer, buffer + sizeof(buffer), number.get_uint64()).ptr);
    case boost::json::kind::double_: {
      const double d = number.get_double();
      // An integral double reads as its digits ("4111111111111111.0", "4.111111111111111e15").
      constexpr double kTwoTo63 = 9223372036854775808.0;
      if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < kTwoTo63) {
        const auto integral = static_cast<std::int64_t>(d);
        return std::string(buffer, std::to_chars(buffer, buffer + sizeof(buffer), integral).ptr);
      }
      return boost::json::serialize(number);
    }
    default:
      return {};
  }
}

bool IsKeyLocation(std::string_view location) {
  return location.ends_with(kKeySuffix);
}

RequestShape WalkRequest(
    const boost::json::object& body,
    const std::function<void(const std::string& pointer, std::string_view text)>& visit,
    std::deque<std::string>& number_texts) {
  RequestShape shape;
  Walker walker(visit, shape, number_texts);
  walker.Body(body);
  return shape;
}

RequestShape WalkRequest(
    const boost::json::object& body,
    const std::function<void(const std::string& pointer, std::string_view text)>& visit) {
  std::deque<std::string> number_texts;
  return WalkRequest(body, visit, number_texts);
}

}  // namespace lanewise::inspect
