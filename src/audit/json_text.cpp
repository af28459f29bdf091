#include "audit/json_text.h"

#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace lanewise::audit {
namespace {

// The bytes a JSON string holds as they are: printable ASCII but the quote and backslash.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

}  // namespace

void JsonText::Grow(std::size_t n) {
  out_.resize(std::max(out_.size() * 2, size_ + n));
}

void JsonText::Put(std::string_view bytes) {
  std::memcpy(Room(bytes.size()), bytes.data(), bytes.size());
  size_ += bytes.size();
}

void JsonText::Separate() {
  if (need_comma_) Put(',');
  need_comma_ = false;
}

JsonText& JsonText::Open(char bracket) {
  Separate();
  Put(bracket);
  return *this;
}

JsonText& JsonText::Close(char bracket) {
  Put(bracket);
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::Key(Name key) {
  const std::string_view text = key.text();
  char* out = Room(text.size() + 4);
  if (need_comma_) *out++ = ',';
  need_comma_ = false;
  *out++ = '"';
  std::memcpy(out, text.data(), text.size());
  out += text.size();
  *out++ = '"';
  *out++ = ':';
  size_ = static_cast<std::size_t>(out - out_.data());
  return *this;
}

JsonText& JsonText::EscapedKey(std::string_view key) {
  Separate();
  Escaped(key);
  Put(':');
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
  char* out = Room(24);
  size_ = static_cast<std::size_t>(std::to_chars(out, out + 24, value).ptr - out_.data());
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::Double(double value) {
  if (!std::isfinite(value)) {
    Separate();
    Put("null");
    need_comma_ = true;
    return *this;
  }
  if (std::abs(value) < 1e5 && value == std::trunc(value) && !(value == 0 && std::signbit(value))) {
    // A whole number (most costs are 0): the same digits as below, at an integer's cost.
    return Int(static_cast<std::int64_t>(value));
  }
  Separate();
  char* out = Room(32);
  size_ = static_cast<std::size_t>(std::to_chars(out, out + 32, value).ptr - out_.data());
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::Bool(bool value) {
  Separate();
  Put(value ? std::string_view("true") : std::string_view("false"));
  need_comma_ = true;
  return *this;
}

void JsonText::Escaped(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  Put('"');
  std::size_t i = 0;
  while (i < value.size()) {
    // Runs of plain ASCII are copied at once.
    std::size_t run = i;
    while (run < value.size() && kPlain[static_cast<unsigned char>(value[run])]) ++run;
    Put(value.substr(i, run - i));
    i = run;
    if (i == value.size()) break;
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      const char escaped[2] = {'\\', static_cast<char>(c)};
      Put(std::string_view(escaped, 2));
      ++i;
    } else if (c < 0x20) {
      const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      Put(std::string_view(escaped, 6));
      ++i;
    } else if (const std::size_t length = core::ValidUtf8SequenceLength(value.substr(i));
               length > 0) {
      Put(value.substr(i, length));
      i += length;
    } else {
      Put("\\ufffd");
      ++i;
    }
  }
  Put('"');
}

}  // namespace lanewise::audit
