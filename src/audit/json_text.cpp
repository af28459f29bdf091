#include "audit/json_text.h"

#include "core/utf8.h"

#include <array>
#include <charconv>
#include <cmath>

namespace lanewise::audit {
namespace {

// The bytes a JSON string holds as they are: printable ASCII but the quote and backslash.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

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

JsonText& JsonText::Key(Name key) {
  Separate();
  out_ += '"';
  out_.append(key.text());
  out_.append("\":", 2);
  return *this;
}

JsonText& JsonText::EscapedKey(std::string_view key) {
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
  } else if (std::abs(value) < 1e5 && value == std::trunc(value) &&
             !(value == 0 && std::signbit(value))) {
    // A whole number (most costs are 0): the same digits as below, at an integer's cost.
    char buffer[24];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(value)).ptr;
    out_.append(buffer, end);
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
    while (run < value.size() && kPlain[static_cast<unsigned char>(value[run])]) ++run;
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
    } else if (const std::size_t length = core::ValidUtf8SequenceLength(value.substr(i));
               length > 0) {
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
