// Payment card numbers: Luhn checksum and issuer ranges (IIN prefixes and lengths as
// published by the card schemes; see docs/inspection.md).
#pragma once

#include <string>
#include <string_view>

namespace lanewise::inspect {

// True when the digit string passes the Luhn (mod 10) check. Digits only.
bool LuhnValid(std::string_view digits);

// The scheme whose IIN range and length admit these digits ("visa", "mastercard",
// "amex", ...), or empty when none does. Digits only.
std::string_view CardIssuer(std::string_view digits);

// A candidate as written in text: digits optionally grouped by one kind of separator
// (space or dash) with a four-digit first group. Returns true when the grouping is
// plausible, the Luhn check passes and (unless `require_issuer` is false) an issuer
// range matches.
bool CardNumberValid(std::string_view candidate, bool require_issuer = true);

// The ASCII digits of `text`, kept in place (no allocation: the validators call this for
// every candidate number). More than kCapacity digits read as too_long().
class DigitsOf {
 public:
  static constexpr std::size_t kCapacity = 24;
  explicit DigitsOf(std::string_view text);
  std::string_view view() const { return {digits_, size_}; }
  bool too_long() const { return too_long_; }

 private:
  char digits_[kCapacity];
  std::size_t size_ = 0;
  bool too_long_ = false;
};

}  // namespace lanewise::inspect
