#include "inspect/rules/iban_validator.h"

#include <cstddef>
#include <string>

namespace lanewise::inspect {
namespace {

struct CountryLength {
  char code[3];
  int length;
};

// IBAN lengths per country (SWIFT IBAN registry, including partner territories).
constexpr CountryLength kLengths[] = {
    {"AD", 24},
    {"AE", 23},
    {"AL", 28},
    {"AT", 20},
    {"AZ", 28},
    {"BA", 20},
    {"BE", 16},
    {"BG", 22},
    {"BH", 22},
    {"BI", 27},
    {"BR", 29},
    {"BY", 28},
    {"CH", 21},
    {"CR", 22},
    {"CY", 28},
    {"CZ", 24},
    {"DE", 22},
    {"DJ", 27},
    {"DK", 18},
    {"DO", 28},
    {"EE", 20},
    {"EG", 29},
    {"ES", 24},
    {"FI", 18},
    {"FK", 18},
    {"FO", 18},
    {"FR", 27},
    {"GB", 22},
    {"GE", 22},
    {"GI", 23},
    {"GL", 18},
    {"GR", 27},
    {"GT", 28},
    {"HN", 28},
    {"HR", 21},
    {"HU", 28},
    {"IE", 22},
    {"IL", 23},
    {"IQ", 23},
    {"IS", 26},
    {"IT", 27},
    {"JO", 30},
    {"KW", 30},
    {"KZ", 20},
    {"LB", 28},
    {"LC", 32},
    {"LI", 21},
    {"LT", 20},
    {"LU", 20},
    {"LV", 21},
    {"LY", 25},
    {"MC", 27},
    {"MD", 24},
    {"ME", 22},
    {"MK", 19},
    {"MN", 20},
    {"MR", 27},
    {"MT", 31},
    {"MU", 30},
    {"NI", 28},
    {"NL", 18},
    {"NO", 15},
    {"OM", 23},
    {"PK", 24},
    {"PL", 28},
    {"PS", 29},
    {"PT", 25},
    {"QA", 29},
    {"RO", 24},
    {"RS", 22},
    {"RU", 33},
    {"SA", 24},
    {"SC", 31},
    {"SD", 18},
    {"SE", 24},
    {"SI", 19},
    {"SK", 24},
    {"SM", 27},
    {"SO", 23},
    {"ST", 25},
    {"SV", 28},
    {"TL", 23},
    {"TN", 24},
    {"TR", 26},
    {"UA", 29},
    {"VA", 22},
    {"VG", 24},
    {"XK", 20},
    {"YE", 30},
    // French overseas territories use FR's format with their own code.
    {"GF", 27},
    {"GP", 27},
    {"MQ", 27},
    {"RE", 27},
    {"PF", 27},
    {"TF", 27},
    {"YT", 27},
    {"NC", 27},
    {"BL", 27},
    {"MF", 27},
    {"PM", 27},
    {"WF", 27},
};

char Upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

int IbanLength(std::string_view country) {
  if (country.size() != 2) return 0;
  for (const auto& entry : kLengths) {
    if (entry.code[0] == country[0] && entry.code[1] == country[1]) return entry.length;
  }
  return 0;
}

bool IbanValid(std::string_view compact) {
  if (compact.size() < 15 || compact.size() > 34) return false;
  const char country[2] = {Upper(compact[0]), Upper(compact[1])};
  if (IbanLength(std::string_view(country, 2)) != static_cast<int>(compact.size())) return false;
  if (!IsDigit(compact[2]) || !IsDigit(compact[3])) return false;
  const int check = (compact[2] - '0') * 10 + (compact[3] - '0');
  if (check < 2 || check > 98) return false;
  // Move the first four characters to the end, letters become 10..35, then mod 97.
  int remainder = 0;
  for (std::size_t k = 0; k < compact.size(); ++k) {
    const char c = Upper(compact[(k + 4) % compact.size()]);
    if (IsDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

bool IbanCandidateValid(std::string_view candidate) {
  // The letters and digits without separators, in place: an IBAN has at most 34.
  constexpr std::size_t kLongest = 34;
  char kept[kLongest];
  std::size_t size = 0;
  char separator = 0;
  std::size_t group = 0;
  bool grouped = false;
  for (char c : candidate) {
    if (IsAlnum(c)) {
      if (size == kLongest) return false;
      kept[size++] = c;
      ++group;
      continue;
    }
    if (c != ' ' && c != '-' && c != '.') return false;
    if ((separator != 0 && c != separator) || group != 4) return false;
    separator = c;
    grouped = true;
    group = 0;
  }
  if (grouped && (group == 0 || group > 4)) return false;
  // Any case: mod-97 decides (a restricted type; mixed case is a disguise, not a sign of prose).
  return IbanValid(std::string_view(kept, size));
}

}  // namespace lanewise::inspect
