#include "inspect/rules/card_validator.h"

#include <cstddef>

namespace lanewise::inspect {
namespace {

struct IssuerRange {
  int prefix_low;   // inclusive, compared on the first `prefix_len` digits
  int prefix_high;  // inclusive
  int prefix_len;
  int min_len;
  int max_len;
  std::string_view scheme;
};

// Issuer identification ranges (facts from the card schemes' published IIN tables).
constexpr IssuerRange kIssuers[] = {
    {4, 4, 1, 13, 19, "visa"},
    {51, 55, 2, 16, 16, "mastercard"},
    {2221, 2720, 4, 16, 16, "mastercard"},
    {34, 34, 2, 15, 15, "amex"},
    {37, 37, 2, 15, 15, "amex"},
    {300, 305, 3, 14, 19, "diners"},
    {3095, 3095, 4, 14, 19, "diners"},
    {36, 36, 2, 14, 19, "diners"},
    {38, 39, 2, 14, 19, "diners"},
    {6011, 6011, 4, 16, 19, "discover"},
    {644, 649, 3, 16, 19, "discover"},
    {65, 65, 2, 16, 19, "discover"},
    {3528, 3589, 4, 16, 19, "jcb"},
    {2131, 2131, 4, 15, 15, "jcb"},
    {1800, 1800, 4, 15, 15, "jcb"},
    {62, 62, 2, 16, 19, "unionpay"},
    {81, 82, 2, 16, 19, "unionpay"},
    {5018, 5018, 4, 12, 19, "maestro"},
    {5020, 5020, 4, 12, 19, "maestro"},
    {5038, 5038, 4, 12, 19, "maestro"},
    {5893, 5893, 4, 12, 19, "maestro"},
    {6304, 6304, 4, 12, 19, "maestro"},
    {6759, 6759, 4, 12, 19, "maestro"},
    {6761, 6763, 4, 12, 19, "maestro"},
    {56, 58, 2, 12, 19, "maestro"},
    {6390, 6390, 4, 12, 19, "maestro"},
    {5019, 5019, 4, 16, 16, "dankort"},
    {2200, 2204, 4, 16, 19, "mir"},
    {60, 60, 2, 16, 16, "rupay"},
    {508, 508, 3, 16, 16, "rupay"},
    {353, 353, 3, 16, 16, "rupay"},
    {356, 356, 3, 16, 16, "rupay"},
    {636, 636, 3, 16, 19, "interpayment"},
    {637, 639, 3, 16, 16, "instapayment"},
    {1, 1, 1, 15, 15, "uatp"},
    {9792, 9792, 4, 16, 16, "troy"},
};

int PrefixValue(std::string_view digits, int len) {
  int value = 0;
  for (int i = 0; i < len; ++i) value = value * 10 + (digits[static_cast<std::size_t>(i)] - '0');
  return value;
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (std::size_t i = digits.size(); i-- > 0;) {
    const char c = digits[i];
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::string_view CardIssuer(std::string_view digits) {
  const int len = static_cast<int>(digits.size());
  for (const auto& range : kIssuers) {
    if (len < range.min_len || len > range.max_len || len < range.prefix_len) continue;
    const int prefix = PrefixValue(digits, range.prefix_len);
    if (prefix >= range.prefix_low && prefix <= range.prefix_high) return range.scheme;
  }
  return {};
}

DigitsOf::DigitsOf(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') continue;
    if (size_ == kCapacity) {
      too_long_ = true;
      return;
    }
    digits_[size_++] = c;
  }
}

bool CardNumberValid(std::string_view candidate, bool require_issuer) {
  char separator = 0;
  int group = 0;
  int groups = 0;
  int first_group = 0;
  for (char c : candidate) {
    if (c >= '0' && c <= '9') {
      ++group;
      continue;
    }
    if (c != ' ' && c != '-' && c != '.') return false;
    if (separator != 0 && c != separator) return false;
    separator = c;
    if (group < 2 || group > 6) return false;
    if (groups == 0) first_group = group;
    ++groups;
    group = 0;
  }
  if (separator != 0 && (first_group != 4 || group < 1 || group > 6)) return false;
  const DigitsOf kept(candidate);
  const std::string_view digits = kept.view();
  if (kept.too_long() || digits.size() < 12 || digits.size() > 19) return false;
  return LuhnValid(digits) && (!require_issuer || !CardIssuer(digits).empty());
}

}  // namespace lanewise::inspect
