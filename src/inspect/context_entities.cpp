#include "inspect/context_entities.h"

#include <algorithm>

#include "inspect/text/ascii.h"
#include "inspect/text/context_words.h"

namespace lanewise::inspect {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool PlausibleYear(int y) {
  return y >= 1890 && y <= 2030;
}

// Reads up to `max` digits at text[p]; returns the count and the value.
std::size_t ReadNumber(std::string_view text, std::size_t p, std::size_t max, int* value) {
  std::size_t n = 0;
  *value = 0;
  while (p + n < text.size() && IsDigit(text[p + n]) && n < max) {
    *value = *value * 10 + (text[p + n] - '0');
    ++n;
  }
  if (p + n < text.size() && IsDigit(text[p + n])) return 0;  // longer than max
  return n;
}

constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};

// Length of an English month name or its abbreviation (with an optional dot) at p.
std::size_t MonthAt(std::string_view text, std::size_t p) {
  if (p >= text.size()) return 0;
  const char first = ascii::Lower(text[p]);  // most positions start no month: one compare
  for (std::string_view m : kMonths) {
    if (m[0] != first) continue;
    for (std::size_t len : {m.size(), std::size_t{4}, std::size_t{3}}) {
      if (len > m.size() || (len == 4 && m != "september")) continue;
      if (p + len > text.size() || !EqualsIgnoreCase(text.substr(p, len), m.substr(0, len)))
        continue;
      std::size_t end = p + len;
      if (end < text.size() && IsAlnum(text[end])) continue;
      if (end < text.size() && text[end] == '.' && len < m.size()) ++end;
      return end - p;
    }
  }
  return 0;
}

std::size_t SkipOrdinal(std::string_view text, std::size_t p) {
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (p + 2 <= text.size() && EqualsIgnoreCase(text.substr(p, 2), suffix)) return p + 2;
  }
  return p;
}

// End of a plausible date starting at p: 1980-03-12, 12/03/1980, 12.03.80, 12 March 1980,
// 12th of March 1980, March 12, 1980. 0 when there is none.
std::size_t DateEndAt(std::string_view text, std::size_t p) {
  int a = 0;
  const std::size_t la = ReadNumber(text, p, 4, &a);
  if (la > 0) {
    std::size_t q = p + la;
    const char sep = q < text.size() ? text[q] : 0;
    if (sep == '.' || sep == '/' || sep == '-') {
      int b = 0;
      int c = 0;
      const std::size_t lb = ReadNumber(text, q + 1, 2, &b);
      if (lb == 0 || q + 1 + lb >= text.size() || text[q + 1 + lb] != sep) return 0;
      const std::size_t lc = ReadNumber(text, q + 2 + lb, 4, &c);
      if (lc < 2) return 0;
      const std::size_t end = q + 2 + lb + lc;
      if (end < text.size() && IsAlnum(text[end])) return 0;
      if (la == 4) {
        return PlausibleYear(a) && b >= 1 && b <= 12 && c >= 1 && c <= 31 && lc <= 2 ? end : 0;
      }
      if (la > 2 || !(lc == 4 ? PlausibleYear(c) : lc == 2)) return 0;
      const bool dm = a >= 1 && a <= 31 && b >= 1 && b <= 12;
      const bool md = b >= 1 && b <= 31 && a >= 1 && a <= 12;
      return dm || md ? end : 0;
    }
    if (la > 2 || a < 1 || a > 31) return 0;
    q = SkipOrdinal(text, q);
    if (q < text.size() && text[q] == '.') ++q;
    if (q >= text.size() || text[q] != ' ') return 0;
    ++q;
    if (q + 3 <= text.size() && EqualsIgnoreCase(text.substr(q, 3), "of ")) q += 3;
    const std::size_t lm = MonthAt(text, q);
    if (lm == 0) return 0;
    q += lm;
    if (q < text.size() && text[q] == ',') ++q;
    if (q >= text.size() || text[q] != ' ') return 0;
    int y = 0;
    const std::size_t ly = ReadNumber(text, q + 1, 4, &y);
    return ly == 4 && PlausibleYear(y) ? q + 1 + ly : 0;
  }
  const std::size_t lm = MonthAt(text, p);
  if (lm == 0) return 0;
  std::size_t q = p + lm;
  if (q >= text.size() || text[q] != ' ') return 0;
  int d = 0;
  const std::size_t ld = ReadNumber(text, q + 1, 2, &d);
  if (ld == 0 || d < 1 || d > 31) return 0;
  q = SkipOrdinal(text, q + 1 + ld);
  if (q < text.size() && text[q] == ',') ++q;
  if (q >= text.size() || text[q] != ' ') return 0;
  int y = 0;
  const std::size_t ly = ReadNumber(text, q + 1, 4, &y);
  return ly == 4 && PlausibleYear(y) ? q + 1 + ly : 0;
}

}  // namespace

std::optional<Finding> DateOfBirthAfter(std::string_view text, std::uint32_t cue_end) {
  // The first plausible date that starts within 48 bytes after the cue.
  const std::size_t limit = std::min<std::size_t>(text.size(), cue_end + 48);
  for (std::size_t p = cue_end; p < limit; ++p) {
    if (p > 0 && IsAlnum(text[p - 1])) continue;  // dates start a token
    const std::size_t end = DateEndAt(text, p);
    if (end == 0) continue;
    Finding f;
    f.type = kDateOfBirth;
    f.start = static_cast<std::uint32_t>(p);
    f.end = static_cast<std::uint32_t>(end);
    f.confidence = 0.85F;
    f.validated = true;
    return f;
  }
  return std::nullopt;
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
