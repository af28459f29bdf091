// ASCII byte classes shared by the detectors. Text is scanned byte-wise: a byte of a
// multi-byte UTF-8 sequence (>= 0x80) is none of these.
#pragma once

namespace lanewise::inspect::ascii {

constexpr bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
constexpr bool IsAlnum(char c) {
  return IsDigit(c) || IsLetter(c);
}
constexpr bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// A word byte of Hyperscan's \b without HS_FLAG_UCP: ASCII letters, digits and '_'.
constexpr bool IsWordByte(char c) {
  return IsAlnum(c) || c == '_';
}
constexpr char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace lanewise::inspect::ascii
