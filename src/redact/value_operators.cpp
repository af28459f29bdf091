#include "redact/value_operators.h"

namespace lanewise::redact {
namespace {

constexpr std::size_t kKeepTailFrom = 10;
constexpr std::size_t kTailKept = 4;

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsContinuationByte(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

}  // namespace

std::string MaskValue(std::string_view value) {
  // Count maskable characters (ASCII letters/digits and any non-ASCII code point).
  std::size_t maskable = 0;
  std::size_t digits = 0;
  for (unsigned char c : value) {
    if (IsAsciiAlnum(c) || (c >= 0x80 && !IsContinuationByte(c))) ++maskable;
    if (c >= '0' && c <= '9') ++digits;
  }
  const std::size_t keep = digits >= kKeepTailFrom ? kTailKept : 0;
  std::string out;
  out.reserve(value.size());
  std::size_t seen = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (IsContinuationByte(c)) continue;  // belongs to a code point already written
    const bool is_maskable = IsAsciiAlnum(c) || c >= 0x80;
    if (!is_maskable) {
      out.push_back(value[i]);
      continue;
    }
    ++seen;
    if (seen > maskable - keep && c < 0x80) {
      out.push_back(value[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

std::string ReplacementFor(config::RedactionOperator op, std::string_view type,
                           std::string_view value, PlaceholderVault& vault) {
  switch (op) {
    case config::RedactionOperator::kPlaceholder:
      return vault.PlaceholderFor(type, value);
    case config::RedactionOperator::kMask:
      return MaskValue(value);
    case config::RedactionOperator::kHash:
      return vault.HashLabel(type, value);
    case config::RedactionOperator::kDrop:
      return {};
  }
  return vault.PlaceholderFor(type, value);
}

}  // namespace lanewise::redact
