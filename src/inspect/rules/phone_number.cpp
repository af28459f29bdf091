#include "inspect/rules/phone_number.h"

#include <algorithm>
#include <cstddef>

#include "inspect/text/context_words.h"

namespace lanewise::inspect {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

struct Group {
  std::size_t start;
  std::size_t end;
  bool parenthesised;
};

// A list with a fixed capacity: a phone number has at most 15 digits, so a run that
// needs more than 16 groups is rejected anyway and parsing stops there (no allocation).
template <typename T>
class SmallList {
 public:
  static constexpr std::size_t kCapacity = 16;
  bool full() const { return size_ == kCapacity; }
  void push_back(const T& v) { items_[size_++] = v; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return items_[i]; }
  const T& front() const { return items_[0]; }
  const T& back() const { return items_[size_ - 1]; }
  const T* begin() const { return items_; }
  const T* end() const { return items_ + size_; }

 private:
  T items_[kCapacity];
  std::size_t size_ = 0;
};

struct Parsed {
  bool plus = false;
  SmallList<Group> groups;
  SmallList<char> separators;  // the first separator char between groups
  std::size_t span_start = 0;
  std::size_t span_end = 0;  // after the last group or the extension
  bool extension = false;
  int digits = 0;
};

bool IsSeparator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '/';
}

// Parses from `pos` within [pos, limit): [+] group (sep group)* [ext]. Never fails;
// returns what it could read.
Parsed Parse(std::string_view text, std::size_t pos, std::size_t limit) {
  Parsed p;
  p.span_start = pos;
  if (pos < limit && text[pos] == '+') {
    p.plus = true;
    ++pos;
    if (pos < limit && text[pos] == ' ') ++pos;
  }
  while (pos < limit) {
    std::size_t i = pos;
    bool paren = false;
    if (text[i] == '(') {
      paren = true;
      ++i;
    }
    const std::size_t digits_start = i;
    while (i < limit && IsDigit(text[i])) ++i;
    if (i == digits_start) break;
    if (paren) {
      if (i >= limit || text[i] != ')') break;
    }
    if (p.groups.full()) {  // more than 16 groups: more than 15 digits, never a phone number
      p.digits = 99;
      break;
    }
    p.groups.push_back({digits_start, i, paren});
    p.digits += static_cast<int>(i - digits_start);
    if (paren) ++i;
    p.span_end = i;
    // Separator: up to two of ' ', '-', '.', '/', or none before '('.
    std::size_t j = i;
    char first = 0;
    while (j < limit && j - i < 2 && IsSeparator(text[j])) {
      if (first == 0) first = text[j];
      ++j;
    }
    if (j < limit && (IsDigit(text[j]) || text[j] == '(')) {
      if (first == 0 && !paren && text[j] != '(') break;  // cannot happen: digits are greedy
      p.separators.push_back(first == 0 ? ')' : first);
      pos = j;
      continue;
    }
    break;
  }
  // Extension: " x123", "x123", " ext. 123", "ext123".
  std::size_t k = p.span_end;
  if (k < text.size() && text[k] == ' ') ++k;
  std::size_t digits_at = 0;
  if (k < text.size() && (text[k] == 'x' || text[k] == 'X')) {
    digits_at = k + 1;
  } else if (k + 3 <= text.size() && EqualsIgnoreCase(text.substr(k, 3), "ext")) {
    digits_at = k + 3;
    if (digits_at < text.size() && text[digits_at] == '.') ++digits_at;
  }
  if (digits_at != 0) {
    if (digits_at < text.size() && text[digits_at] == ' ') ++digits_at;
    std::size_t e = digits_at;
    while (e < text.size() && IsDigit(text[e]) && e - digits_at < 6) ++e;
    if (e > digits_at && (e >= text.size() || !IsAlnum(text[e]))) {
      p.extension = true;
      p.span_end = e;
    }
  }
  return p;
}

std::size_t Len(const Group& g) {
  return g.end - g.start;
}

int ValueOf(std::string_view text, const Group& g) {
  int v = 0;
  for (std::size_t i = g.start; i < g.end && i - g.start < 6; ++i) v = v * 10 + (text[i] - '0');
  return v;
}

bool LooksLikeDate(std::string_view text, const Parsed& p) {
  if (p.groups.size() != 3 && p.groups.size() != 2) return false;
  for (char s : p.separators) {
    if (s != '-' && s != '/' && s != '.') return false;
  }
  const Group& a = p.groups.front();
  const Group& b = p.groups.back();
  auto year = [&](const Group& g) {
    const int v = ValueOf(text, g);
    return Len(g) == 4 && v >= 1800 && v <= 2199;
  };
  if (p.groups.size() == 3) {
    const Group& m = p.groups[1];
    if (Len(m) > 2) return false;
    if (year(a) && Len(b) <= 2) return true;
    if (year(b) && Len(a) <= 2) return true;
    return false;
  }
  return (year(a) && Len(b) <= 2) || (year(b) && Len(a) <= 2);
}

bool LooksLikeDottedNumber(const Parsed& p) {
  // IPv4 addresses (4 groups), versions (3), decimals (2): only '.' separators, and
  // short groups. Five dot-separated pairs (French style) are a phone number.
  if (p.plus || p.separators.empty()) return false;
  for (char s : p.separators) {
    if (s != '.') return false;
  }
  if (p.groups.size() == 2) return true;
  if (p.groups.size() > 4) return false;
  for (const Group& g : p.groups) {
    if (Len(g) > 3) return false;
  }
  return true;
}

bool NanpShape(std::string_view text, const Parsed& p) {
  // [1|001|+1] (AAA) EEE-NNNN or AAA-EEE-NNNN: area and exchange not starting with 0/1
  // in the real plan, but synthetic and fictional numbers often do, so only the layout
  // is checked.
  std::size_t first = 0;
  if (p.groups.size() == 4) {
    const Group& g = p.groups[0];
    const std::string_view lead = text.substr(g.start, Len(g));
    if (lead != "1" && lead != "001") return false;
    first = 1;
  } else if (p.groups.size() != 3) {
    return false;
  }
  if (p.plus && first == 0) return false;
  return Len(p.groups[first]) == 3 && Len(p.groups[first + 1]) == 3 &&
         Len(p.groups[first + 2]) == 4;
}

template <typename Context>
double Score(std::string_view text, const Parsed& p, Context&& context) {
  if (p.groups.empty()) return 0;
  const int min_digits = p.plus ? 8 : 7;
  if (p.digits < min_digits || p.digits > 15) return 0;
  if (LooksLikeDate(text, p) || LooksLikeDottedNumber(p)) return 0;
  const char before = p.span_start > 0 ? text[p.span_start - 1] : ' ';
  const char before2 = p.span_start > 1 ? text[p.span_start - 2] : ' ';
  if (IsAlnum(before) || before == '$' || before == '#') return 0;
  if ((before == '.' || before == ',') && IsDigit(before2)) return 0;  // 1,234 567.8
  if (p.span_end < text.size()) {
    const char after = text[p.span_end];
    if (IsAlnum(after) || after == '%') return 0;
    if ((after == '.' || after == ',') && p.span_end + 1 < text.size() &&
        IsDigit(text[p.span_end + 1])) {
      return 0;
    }
  }
  double score = 0;
  const bool grouped = p.groups.size() >= 2;
  if (p.plus) {
    score = 0.55;
  } else if (NanpShape(text, p)) {
    score = 0.6;
  } else if (text[p.groups[0].start] == '0' && grouped && p.digits >= 9 && p.digits <= 12) {
    score = 0.5;
  } else if (grouped) {
    score = 0.35;
  } else {
    score = (p.digits == 10 || p.digits == 11) ? 0.3 : 0.15;
  }
  if (p.extension) score += 0.2;
  if (context(p.span_start, p.span_end)) score += 0.35;
  return std::min(score, 0.9);
}

}  // namespace

std::optional<Finding> ParsePhoneNumber(std::string_view text, std::uint32_t start,
                                        std::uint32_t end) {
  // Try the run as a whole, then starting at its second and third group: a run can
  // begin with a postcode or a count that belongs to the text before the number.
  double best_score = 0;
  Parsed best;
  std::size_t pos = start;
  // Phone words near the run; computed once for all attempts (their windows differ by a
  // few bytes at most).
  int cached_context = -1;
  auto context = [&](std::size_t span_start, std::size_t span_end) {
    if (cached_context < 0) {
      static const CueList kPhoneCues{
          "phone",   "tel",       "mobile",   "cell",     "fax",      "office",  "call",
          "contact", "desk",      "whatsapp", "landline", "reach",    "text me", "sms",
          "message", "voicemail", "answer",   "ring",     "number",   "hotline", "dial",
          "handy",   "telefon",   "tél",      "telefono", "teléfono", "móvil"};
      cached_context = kPhoneCues.Near(text, span_start, span_end, 40, 24) ? 1 : 0;
    }
    return cached_context == 1;
  };
  for (int attempt = 0; attempt < 3 && pos < end; ++attempt) {
    const Parsed p = Parse(text, pos, end);
    const double score = Score(text, p, context);
    if (score > best_score + 1e-9) {
      best_score = score;
      best = p;
    }
    if (p.groups.size() < 2) break;
    pos = p.groups[1].start;
    if (p.groups[1].parenthesised) --pos;
  }
  if (best_score < 0.5) return std::nullopt;
  Finding f;
  f.type = kPhoneNumber;
  f.start = static_cast<std::uint32_t>(best.span_start);
  f.end = static_cast<std::uint32_t>(best.span_end);
  f.confidence = static_cast<float>(best_score);
  return f;
}

}  // namespace lanewise::inspect
