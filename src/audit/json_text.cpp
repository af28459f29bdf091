#include "audit/json_text.h"

#include <charconv>
#include <cmath>

namespace lanewise::audit {
namespace {

// Length of the valid UTF-8 sequence at the start of `s`, or 0.
std::size_t Utf8Length(std::string_view s) {
  const auto byte = [&s](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (length > s.size() || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

void JsonText::Separate() {
  if (need_comma_) out_ += ',';
  need_comma_ = false;
}

JsonText& JsonText::Open(char bracket) {
  Separate();
  out_ += bracket;
  return *this;
}

JsonText& JsonText::Close(char bracket) {
  out_ += bracket;
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::Key(std::string_view key) {
  Separate();
  Escaped(key);
  out_ += ':';
  return *this;
}

JsonText& JsonText::String(std::string_view value) {
  Separate();
  Escaped(value);
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::Int(std::int64_t value) {
  Separate();
  char buffer[24];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out_.append(buffer, end);
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::Double(double value) {
  Separate();
  if (!std::isfinite(value)) {
    out_ += "null";
  } else {
    char buffer[32];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out_.append(buffer, end);
  }
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
  need_comma_ = true;
  return *this;
}

void JsonText::Escaped(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  std::size_t i = 0;
  while (i < value.size()) {
    // Runs of plain ASCII are copied at once.
    std::size_t run = i;
    while (run < value.size()) {
      const auto c = static_cast<unsigned char>(value[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out_.append(value.data() + i, run - i);
    i = run;
    if (i == value.size()) break;
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out_ += '\\';
      out_ += static_cast<char>(c);
      ++i;
    } else if (c < 0x20) {
      out_ += "\\u00";
      out_ += kHex[c >> 4];
      out_ += kHex[c & 0xf];
      ++i;
    } else if (const std::size_t length = Utf8Length(value.substr(i)); length > 0) {
      out_.append(value.data() + i, length);
      i += length;
    } else {
      out_ += "\\ufffd";
      ++i;
    }
  }
  out_ += '"';
}

}  // namespace lanewise::audit
