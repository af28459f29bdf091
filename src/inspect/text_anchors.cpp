#include "inspect/text_anchors.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "inspect/ascii.h"

namespace lanewise::inspect {
namespace {

using ascii::IsAlnum;
using ascii::IsWordByte;

unsigned int IndexOf(Rule rule) {
  const auto rules = BuiltinRules();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].rule == rule) return static_cast<unsigned int>(i);
  }
  return static_cast<unsigned int>(rules.size());  // not reached: every Rule has an entry
}

struct RuleIds {
  unsigned int url_bare = IndexOf(Rule::kUrlBare);
  unsigned int email = IndexOf(Rule::kEmail);
  unsigned int it_fiscal_code = IndexOf(Rule::kItFiscalCode);
};

const RuleIds& Ids() {
  static const RuleIds ids;
  return ids;
}

// The end of the run of word bytes starting at `at`.
std::size_t WordEnd(std::string_view text, std::size_t at) {
  while (at < text.size() && IsWordByte(text[at])) ++at;
  return at;
}

// A word of up to sixteen bytes as two little-endian numbers, for comparisons by value.
struct PackedWord {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  bool operator==(const PackedWord&) const = default;
};

constexpr PackedWord Pack(std::string_view word) {
  PackedWord packed;
  for (std::size_t i = 0; i < word.size() && i < 16; ++i) {
    const auto byte = static_cast<std::uint64_t>(static_cast<unsigned char>(word[i]));
    (i < 8 ? packed.low : packed.high) |= byte << (8 * (i % 8));
  }
  return packed;
}

// [A-Za-z0-9]\.(?:com|org|...)\b, caseless: the top-level domain is the whole run of word
// bytes after the dot (\b cannot fall between two word bytes).
constexpr std::string_view kTopLevelDomains[] = {
    "com", "org", "net",  "edu",    "gov",  "mil", "int",   "io",     "co",        "info", "biz",
    "app", "dev", "ai",   "tv",     "us",   "uk",  "de",    "fr",     "es",        "it",   "nl",
    "be",  "ch",  "at",   "se",     "no",   "dk",  "fi",    "pl",     "cz",        "ru",   "ua",
    "jp",  "cn",  "kr",   "in",     "au",   "nz",  "ca",    "br",     "mx",        "ar",   "il",
    "za",  "eu",  "site", "online", "tech", "xyz", "cloud", "webcam", "vlaanderen"};
constexpr std::size_t kLongestDomain = 10;

constexpr std::array<PackedWord, std::size(kTopLevelDomains)> PackDomains() {
  std::array<PackedWord, std::size(kTopLevelDomains)> packed{};
  for (std::size_t i = 0; i < packed.size(); ++i) packed[i] = Pack(kTopLevelDomains[i]);
  return packed;
}
constexpr auto kPackedDomains = PackDomains();

bool IsTopLevelDomain(std::string_view word) {
  if (word.size() < 2 || word.size() > kLongestDomain) return false;
  char lower[kLongestDomain];
  for (std::size_t i = 0; i < word.size(); ++i) lower[i] = ascii::Lower(word[i]);
  const PackedWord key = Pack(std::string_view(lower, word.size()));
  return std::find(kPackedDomains.begin(), kPackedDomains.end(), key) != kPackedDomains.end();
}

void FindBareUrls(std::string_view text, unsigned int id, std::vector<RawMatch>& out) {
  const char* const data = text.data();
  const std::size_t n = text.size();
  for (const char* dot = static_cast<const char*>(std::memchr(data, '.', n)); dot != nullptr;
       dot = static_cast<const char*>(std::memchr(dot + 1, '.', n - (dot + 1 - data)))) {
    const auto at = static_cast<std::size_t>(dot - data);
    if (at == 0 || !IsAlnum(text[at - 1])) continue;
    const std::size_t end = WordEnd(text, at + 1);
    if (IsTopLevelDomain(text.substr(at + 1, end - at - 1))) {
      out.push_back({id, static_cast<std::uint32_t>(end), static_cast<std::uint32_t>(end)});
    }
  }
}

// [A-Za-z0-9_%+\-]@[A-Za-z0-9]: ends one byte after the '@'.
void FindEmailAnchors(std::string_view text, unsigned int id, std::vector<RawMatch>& out) {
  const char* const data = text.data();
  const std::size_t n = text.size();
  for (const char* sign = static_cast<const char*>(std::memchr(data, '@', n)); sign != nullptr;
       sign = static_cast<const char*>(std::memchr(sign + 1, '@', n - (sign + 1 - data)))) {
    const auto at = static_cast<std::size_t>(sign - data);
    if (at == 0 || at + 1 >= n || !IsAlnum(text[at + 1])) continue;
    const char before = text[at - 1];
    if (IsWordByte(before) || before == '%' || before == '+' || before == '-') {
      out.push_back({id, static_cast<std::uint32_t>(at + 2), static_cast<std::uint32_t>(at + 2)});
    }
  }
}

// The offset of the first ASCII capital letter at or after `i`, or text.size(): eight
// bytes at a time (prose has few capitals). A byte b of w is one when b < 0x80,
// b + (0x80 - 'A') sets its top bit and b + (0x80 - 'Z' - 1) does not.
std::size_t NextCapital(std::string_view text, std::size_t i) {
  static_assert(std::endian::native == std::endian::little, "the first byte is the lowest");
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kTops = 0x8080808080808080ULL;
  const std::size_t n = text.size();
  while (i + 8 <= n) {
    std::uint64_t w = 0;
    std::memcpy(&w, text.data() + i, 8);
    const std::uint64_t low = w & ~kTops;
    const std::uint64_t capitals =
        (low + kOnes * (0x80 - 'A')) & ~(low + kOnes * (0x80 - 'Z' - 1)) & ~w & kTops;
    if (capitals != 0) return i + static_cast<std::size_t>(std::countr_zero(capitals) / 8);
    i += 8;
  }
  while (i < n && !ascii::IsUpper(text[i])) ++i;
  return i;
}

// One position of the fiscal code: a capital, or a digit or one of the letters that
// stand for digits (omocodia).
bool IsCodeDigit(char c) {
  return ascii::IsDigit(c) || c == 'L' || c == 'M' || c == 'N' || (c >= 'P' && c <= 'V');
}
bool IsMonthLetter(char c) {  // [A-EHLMPR-T]
  return (c >= 'A' && c <= 'E') || c == 'H' || c == 'L' || c == 'M' || c == 'P' ||
         (c >= 'R' && c <= 'T');
}

// \b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b:
// sixteen word bytes between boundaries, so a whole word of sixteen bytes that starts
// with a capital.
bool IsFiscalCodeShape(std::string_view code) {
  constexpr std::string_view kPattern = "AAAAAA99M99A999A";  // A capital, 9 code digit
  for (std::size_t k = 0; k < kPattern.size(); ++k) {
    const char c = code[k];
    const bool ok = kPattern[k] == 'A'   ? ascii::IsUpper(c)
                    : kPattern[k] == '9' ? IsCodeDigit(c)
                                         : IsMonthLetter(c);
    if (!ok) return false;
  }
  return true;
}

void FindFiscalCodes(std::string_view text, unsigned int id, std::vector<RawMatch>& out) {
  constexpr std::size_t kLength = 16;
  std::size_t at = NextCapital(text, 0);
  while (at < text.size()) {
    const std::size_t end = WordEnd(text, at);
    if ((at == 0 || !IsWordByte(text[at - 1])) && end - at == kLength &&
        IsFiscalCodeShape(text.substr(at, kLength))) {
      out.push_back({id, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(end)});
    }
    at = NextCapital(text, end);  // the rest of this word starts nothing
  }
}

}  // namespace

bool MatchedAsTextAnchor(Rule rule) {
  return rule == Rule::kUrlBare || rule == Rule::kEmail || rule == Rule::kItFiscalCode;
}

void FindTextAnchors(std::string_view text, std::vector<RawMatch>& out) {
  const RuleIds& ids = Ids();
  FindBareUrls(text, ids.url_bare, out);
  FindEmailAnchors(text, ids.email, out);
  FindFiscalCodes(text, ids.it_fiscal_code, out);
}

}  // namespace lanewise::inspect
