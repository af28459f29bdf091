#include "inspect/rules/national_ids.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

#include "inspect/rules/card_validator.h"

namespace lanewise::inspect {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
char Upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
bool IsLetter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int ParseInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

constexpr std::string_view kDniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

// Strips separators (hyphen, dot, space); returns "" when anything but alphanumerics and
// separators appears.
std::string WithoutDashes(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '-' || c == '.' || c == ' ') continue;
    if (!IsDigit(c) && !IsLetter(c)) return {};
    out.push_back(Upper(c));
  }
  return out;
}

}  // namespace

bool UsSsnValid(std::string_view candidate) {
  // Shapes: ddddddddd, ddd?dd?dddd with one separator kind, either separator optional.
  std::string digits;
  char separator = 0;
  std::size_t positions[2] = {0, 0};
  int separators = 0;
  for (std::size_t i = 0; i < candidate.size(); ++i) {
    const char c = candidate[i];
    if (IsDigit(c)) {
      digits.push_back(c);
      continue;
    }
    if (c != '-' && c != ' ' && c != '.') return false;
    if (separators == 2 || (separator != 0 && c != separator)) return false;
    separator = c;
    positions[separators++] = digits.size();
  }
  if (digits.size() != 9) return false;
  for (int k = 0; k < separators; ++k) {
    if (positions[k] != 3 && positions[k] != 5) return false;
  }
  if (separators == 2 && positions[0] == positions[1]) return false;
  const int area = ParseInt(std::string_view(digits).substr(0, 3));
  const int group = ParseInt(std::string_view(digits).substr(3, 2));
  const int serial = ParseInt(std::string_view(digits).substr(5, 4));
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
  if (digits == "078051120" || digits == "219099999" || digits == "123456789") return false;
  if (digits.find_first_not_of(digits[0]) == std::string::npos) return false;
  return true;
}

bool UkNinoValid(std::string_view candidate) {
  std::string compact;
  for (char c : candidate) {
    if (c == ' ' || c == '-' || c == '.') continue;
    compact.push_back(Upper(c));
  }
  if (compact.size() != 9) return false;
  const char a = compact[0];
  const char b = compact[1];
  if (!IsLetter(a) || !IsLetter(b)) return false;
  for (std::size_t i = 2; i < 8; ++i) {
    if (!IsDigit(compact[i])) return false;
  }
  if (compact[8] < 'A' || compact[8] > 'D') return false;
  constexpr std::string_view kNeverFirst = "DFIQUV";
  constexpr std::string_view kNeverSecond = "DFIOQUV";
  if (kNeverFirst.find(a) != std::string_view::npos) return false;
  if (kNeverSecond.find(b) != std::string_view::npos) return false;
  const std::string_view pair = std::string_view(compact).substr(0, 2);
  for (std::string_view bad : {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}) {
    if (pair == bad) return false;
  }
  return true;
}

namespace {

// The 11 digits of a tax id candidate (spaces allowed), or empty.
std::string DeTaxIdDigits(std::string_view candidate) {
  std::string digits;
  for (char c : candidate) {
    if (c == ' ' || c == '-' || c == '.') continue;
    if (!IsDigit(c)) return {};
    digits.push_back(c);
  }
  if (digits.size() != 11 || digits[0] == '0') return {};
  return digits;
}

// ISO 7064 MOD 11,10 over the first ten digits.
bool DeTaxIdCheckDigitHolds(const std::string& digits) {
  int product = 10;
  for (std::size_t i = 0; i < 10; ++i) {
    int sum = (digits[i] - '0' + product) % 10;
    if (sum == 0) sum = 10;
    product = (sum * 2) % 11;
  }
  int check = 11 - product;
  if (check == 10) check = 0;
  return check == digits[10] - '0';
}

}  // namespace

bool DeTaxIdValid(std::string_view candidate) {
  const std::string digits = DeTaxIdDigits(candidate);
  if (digits.empty()) return false;
  std::array<int, 10> counts{};
  for (std::size_t i = 0; i < 10; ++i) ++counts[static_cast<std::size_t>(digits[i] - '0')];
  int repeated = 0;
  int repeated_digit = -1;
  for (int d = 0; d < 10; ++d) {
    const int n = counts[static_cast<std::size_t>(d)];
    if (n > 3) return false;
    if (n >= 2) {
      ++repeated;
      repeated_digit = d;
    }
  }
  if (repeated != 1) return false;
  if (counts[static_cast<std::size_t>(repeated_digit)] == 3) {
    for (std::size_t i = 0; i + 2 < 10; ++i) {
      if (digits[i] - '0' == repeated_digit && digits[i + 1] == digits[i] &&
          digits[i + 2] == digits[i]) {
        return false;
      }
    }
  }
  return DeTaxIdCheckDigitHolds(digits);
}

bool DeTaxIdCheckDigitValid(std::string_view candidate) {
  const std::string digits = DeTaxIdDigits(candidate);
  return !digits.empty() && DeTaxIdCheckDigitHolds(digits);
}

bool EsDniValid(std::string_view candidate) {
  const std::string compact = WithoutDashes(candidate);
  if (compact.size() != 8 && compact.size() != 9) return false;
  const std::size_t n = compact.size() - 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (!IsDigit(compact[i])) return false;
  }
  const char letter = compact[n];
  if (!IsLetter(letter)) return false;
  const long number = ParseInt(std::string_view(compact).substr(0, n));
  return kDniLetters[static_cast<std::size_t>(number % 23)] == letter;
}

bool EsNieValid(std::string_view candidate) {
  const std::string compact = WithoutDashes(candidate);
  if (compact.size() != 9) return false;
  const char prefix = compact[0];
  if (prefix != 'X' && prefix != 'Y' && prefix != 'Z') return false;
  for (std::size_t i = 1; i < 8; ++i) {
    if (!IsDigit(compact[i])) return false;
  }
  if (!IsLetter(compact[8])) return false;
  const long number = (prefix - 'X') * 10000000L + ParseInt(std::string_view(compact).substr(1, 7));
  return kDniLetters[static_cast<std::size_t>(number % 23)] == compact[8];
}

bool ItFiscalCodeValid(std::string_view candidate) {
  if (candidate.size() != 16) return false;
  // Values of characters in odd (1st, 3rd, ...) positions, for 0-9 and A-Z alike.
  constexpr std::array<int, 26> kOdd = {1,  0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                                        20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  constexpr std::string_view kOmocodia = "LMNPQRSTUV";
  int sum = 0;
  for (std::size_t i = 0; i < 15; ++i) {
    const char c = Upper(candidate[i]);
    int index = 0;
    if (IsDigit(c)) {
      index = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      index = c - 'A';
    } else {
      return false;
    }
    // Layout: 6 letters, 2 digits, month letter, 2 digits, letter, 3 digits.
    const bool digit_place = (i >= 6 && i <= 7) || (i >= 9 && i <= 10) || (i >= 12);
    if (digit_place && !IsDigit(c) && kOmocodia.find(c) == std::string_view::npos) return false;
    if (!digit_place && !IsLetter(c)) return false;
    sum += (i % 2 == 0) ? kOdd[static_cast<std::size_t>(index)] : index;
  }
  constexpr std::string_view kMonths = "ABCDEHLMPRST";
  if (kMonths.find(Upper(candidate[8])) == std::string_view::npos) return false;
  return Upper(candidate[15]) == static_cast<char>('A' + sum % 26);
}

bool VerhoeffValid(std::string_view digits) {
  static constexpr int kD[10][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
      {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
      {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
      {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static constexpr int kP[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                                    {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                                    {9, 4, 5, 3, 1, 2, 8, 7, 6, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                                    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  if (digits.empty()) return false;
  int c = 0;
  std::size_t i = 0;
  for (std::size_t k = digits.size(); k-- > 0; ++i) {
    const char ch = digits[k];
    if (!IsDigit(ch)) return false;
    c = kD[c][kP[i % 8][ch - '0']];
  }
  return c == 0;
}

bool AadhaarValid(std::string_view candidate) {
  char separator = 0;
  for (std::size_t i = 0; i < candidate.size(); ++i) {
    const char c = candidate[i];
    if (IsDigit(c)) continue;
    if (c != ' ' && c != '-' && c != '.' && c != ':') return false;
    if ((separator != 0 && c != separator) || (i != 4 && i != 9)) return false;
    separator = c;
  }
  const DigitsOf kept(candidate);
  const std::string_view digits = kept.view();
  if (kept.too_long() || digits.size() != 12 || digits[0] < '2') return false;
  if (std::equal(digits.begin(), digits.end(), digits.rbegin())) return false;  // palindrome
  return VerhoeffValid(digits);
}

}  // namespace lanewise::inspect
