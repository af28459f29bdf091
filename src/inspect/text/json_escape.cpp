#include "inspect/text/json_escape.h"

#include <utf8proc.h>
#include <array>

namespace lanewise::inspect {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of "\uXXXX" at `at`, or -1.
int EscapedUnit(std::string_view text, std::size_t at) {
  if (at + 6 > text.size() || text[at] != '\\' || text[at + 1] != 'u') return -1;
  int unit = 0;
  for (std::size_t k = at + 2; k < at + 6; ++k) {
    const int h = HexValue(text[k]);
    if (h < 0) return -1;
    unit = unit * 16 + h;
  }
  return unit;
}

}  // namespace

JsonEscape JsonEscapeAt(std::string_view text, std::size_t at) {
  if (at + 1 >= text.size() || text[at] != '\\') return {};
  constexpr std::string_view kEscaped = "\"\\/bfnrt";
  constexpr std::string_view kDecoded = "\"\\/\b\f\n\r\t";
  if (const std::size_t k = kEscaped.find(text[at + 1]); k != std::string_view::npos) {
    return {static_cast<unsigned char>(kDecoded[k]), 2};
  }
  const int unit = EscapedUnit(text, at);
  if (unit < 0) return {};
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    const int low = EscapedUnit(text, at + 6);
    if (low >= 0xDC00 && low <= 0xDFFF) {
      return {static_cast<std::uint32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), 12};
    }
    return {0xFFFD, 6};
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) return {0xFFFD, 6};
  return {static_cast<std::uint32_t>(unit), 6};
}

void AppendUtf8(std::string& out, std::uint32_t code_point) {
  std::array<utf8proc_uint8_t, 4> bytes{};
  const auto length = utf8proc_encode_char(static_cast<utf8proc_int32_t>(code_point), bytes.data());
  out.append(reinterpret_cast<const char*>(bytes.data()), static_cast<std::size_t>(length));
}

}  // namespace lanewise::inspect
