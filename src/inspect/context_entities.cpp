#include "inspect/context_entities.h"

#include <array>
#include <vector>

#include "inspect/context_words.h"

namespace lanewise::inspect {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The numbers of the date in the order written (day, month and year in some order).
std::vector<int> Numbers(std::string_view s, std::vector<int>* lengths) {
  std::vector<int> out;
  int value = 0;
  int len = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      value = value * 10 + (c - '0');
      ++len;
    } else if (len > 0) {
      out.push_back(value);
      lengths->push_back(len);
      value = 0;
      len = 0;
    }
  }
  if (len > 0) {
    out.push_back(value);
    lengths->push_back(len);
  }
  return out;
}

bool PlausibleYear(int y) {
  return y >= 1890 && y <= 2030;
}

bool NumericDatePlausible(std::string_view s) {
  std::vector<int> lengths;
  const std::vector<int> n = Numbers(s, &lengths);
  if (n.size() != 3) return false;
  if (lengths[0] == 4)
    return PlausibleYear(n[0]) && n[1] >= 1 && n[1] <= 12 && n[2] >= 1 && n[2] <= 31;
  const bool year_ok = lengths[2] == 4 ? PlausibleYear(n[2]) : lengths[2] == 2;
  if (!year_ok) return false;
  // d/m or m/d: either order is fine as long as one reading is a date.
  const bool dm = n[0] >= 1 && n[0] <= 31 && n[1] >= 1 && n[1] <= 12;
  const bool md = n[1] >= 1 && n[1] <= 31 && n[0] >= 1 && n[0] <= 12;
  return dm || md;
}

bool TextualDatePlausible(std::string_view s) {
  std::vector<int> lengths;
  const std::vector<int> n = Numbers(s, &lengths);
  if (n.size() != 2) return false;
  return n[0] >= 1 && n[0] <= 31 && PlausibleYear(n[1]);
}

}  // namespace

std::optional<Finding> DateOfBirthAt(std::string_view text, std::uint32_t start,
                                     std::uint32_t end) {
  const std::string_view date = text.substr(start, end - start);
  bool has_letters = false;
  for (char c : date) has_letters = has_letters || (c >= 'A' && c <= 'z' && !IsDigit(c));
  if (!(has_letters ? TextualDatePlausible(date) : NumericDatePlausible(date))) {
    return std::nullopt;
  }
  if (!NearWords(
          text, start, end,
          {"born", "birth", "dob", "d.o.b", "birthday", "geb.", "geboren", "geburtsdatum", "né",
           "née", "naissance", "nacimiento", "nacido", "nacida", "nascita", "nato", "nata"},
          48, 0)) {
    return std::nullopt;
  }
  Finding f;
  f.type = kDateOfBirth;
  f.start = start;
  f.end = end;
  f.confidence = 0.85F;
  f.validated = true;
  return f;
}

std::optional<Finding> MedicalRecordAt(std::string_view text, std::uint32_t start,
                                       std::uint32_t end) {
  // The identifier is the last alphanumeric run (dashes allowed inside) of the match.
  std::uint32_t id_end = end;
  while (id_end > start && !IsAlnum(text[id_end - 1])) --id_end;
  std::uint32_t id_start = id_end;
  while (id_start > start && (IsAlnum(text[id_start - 1]) || text[id_start - 1] == '-')) {
    --id_start;
  }
  while (id_start < id_end && text[id_start] == '-') ++id_start;
  if (id_end - id_start < 4) return std::nullopt;
  int digits = 0;
  for (std::uint32_t i = id_start; i < id_end; ++i) digits += IsDigit(text[i]) ? 1 : 0;
  if (digits < 4) return std::nullopt;
  Finding f;
  f.type = kMedicalRecordNumber;
  f.start = id_start;
  f.end = id_end;
  f.confidence = 0.85F;
  f.validated = true;
  return f;
}

}  // namespace lanewise::inspect
