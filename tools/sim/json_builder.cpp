#include "tools/sim/json_builder.h"

#include <charconv>
#include <cmath>

namespace lanewise::sim {

void JsonBuilder::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) out_ += ',';
    has_items_.back() = true;
  }
}

JsonBuilder& JsonBuilder::BeginObject() {
  BeforeValue();
  out_ += '{';
  has_items_.push_back(false);
  return *this;
}

JsonBuilder& JsonBuilder::EndObject() {
  out_ += '}';
  has_items_.pop_back();
  return *this;
}

JsonBuilder& JsonBuilder::BeginArray() {
  BeforeValue();
  out_ += '[';
  has_items_.push_back(false);
  return *this;
}

JsonBuilder& JsonBuilder::EndArray() {
  out_ += ']';
  has_items_.pop_back();
  return *this;
}

JsonBuilder& JsonBuilder::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(out_, key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonBuilder& JsonBuilder::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
  return *this;
}

JsonBuilder& JsonBuilder::Int(std::int64_t value) {
  BeforeValue();
  out_ += std::to_string(value);
  return *this;
}

JsonBuilder& JsonBuilder::Double(double value) {
  BeforeValue();
  out_ += FormatDouble(value);
  return *this;
}

JsonBuilder& JsonBuilder::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonBuilder& JsonBuilder::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonBuilder& JsonBuilder::Raw(std::string_view json) {
  BeforeValue();
  out_ += json;
  return *this;
}

void AppendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string FormatDouble(double value) {
  if (!std::isfinite(value)) return "null";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, result.ptr);
  // Integral values keep a decimal point, as in "prompt_per_second":0.0.
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

}  // namespace lanewise::sim
