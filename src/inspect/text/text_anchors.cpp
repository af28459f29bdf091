#include "inspect/text/text_anchors.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "inspect/text/ascii.h"
#include "inspect/text/byte_masks.h"

namespace lanewise::inspect {
namespace {

using ascii::IsAlnum;
using ascii::IsWordByte;

struct RuleIds {
  unsigned int url_bare = BuiltinRuleIndex(Rule::kUrlBare);
  unsigned int mac_dotted = BuiltinRuleIndex(Rule::kMacDotted);
  unsigned int email = BuiltinRuleIndex(Rule::kEmail);
  unsigned int it_fiscal_code = BuiltinRuleIndex(Rule::kItFiscalCode);
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

// At a dot: the bare URL whose domain follows it, [A-Za-z0-9]\.(?:com|...)\b.
void BareUrlAtDot(std::string_view text, std::size_t dot, unsigned int id,
                  std::vector<RawMatch>& out) {
  if (dot == 0 || !IsAlnum(text[dot - 1])) return;
  const std::size_t end = WordEnd(text, dot + 1);
  if (IsTopLevelDomain(text.substr(dot + 1, end - dot - 1))) {
    out.push_back({id, static_cast<std::uint32_t>(end), static_cast<std::uint32_t>(end)});
  }
}

// At a dot: the dotted MAC \b[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\b of which it
// is the first dot.
void DottedMacAtDot(std::string_view text, std::size_t dot, unsigned int id,
                    std::vector<RawMatch>& out) {
  constexpr std::size_t kLength = 14;
  if (dot < 4) return;
  const std::size_t start = dot - 4;
  const std::size_t end = start + kLength;
  if (end > text.size() || text[start + 9] != '.') return;
  if (start > 0 && IsWordByte(text[start - 1])) return;
  if (end < text.size() && IsWordByte(text[end])) return;
  auto hex4 = [&](std::size_t at) {
    return ascii::IsHexDigit(text[at]) && ascii::IsHexDigit(text[at + 1]) &&
           ascii::IsHexDigit(text[at + 2]) && ascii::IsHexDigit(text[at + 3]);
  };
  if (hex4(start) && hex4(start + 5) && hex4(start + 10)) {
    out.push_back({id, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end)});
  }
}

// At an '@': [A-Za-z0-9_%+\-]@[A-Za-z0-9], ending one byte after it.
void EmailAtSign(std::string_view text, std::size_t at, unsigned int id,
                 std::vector<RawMatch>& out) {
  if (at == 0 || at + 1 >= text.size() || !IsAlnum(text[at + 1])) return;
  const char before = text[at - 1];
  if (IsWordByte(before) || before == '%' || before == '+' || before == '-') {
    out.push_back({id, static_cast<std::uint32_t>(at + 2), static_cast<std::uint32_t>(at + 2)});
  }
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

// At a capital letter: the fiscal code that is the word starting there, if it is one.
// Returns the end of the word (no capital inside it can start a code).
std::size_t FiscalCodeAtCapital(std::string_view text, std::size_t at, unsigned int id,
                                std::vector<RawMatch>& out) {
  constexpr std::size_t kLength = 16;
  const std::size_t end = WordEnd(text, at);
  if ((at == 0 || !IsWordByte(text[at - 1])) && end - at == kLength &&
      IsFiscalCodeShape(text.substr(at, kLength))) {
    out.push_back({id, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(end)});
  }
  return end;
}

}  // namespace

bool MatchedAsTextAnchor(Rule rule) {
  return BuiltinRules()[BuiltinRuleIndex(rule)].found_by == Finder::kTextAnchor;
}

void FindTextAnchors(std::string_view text, std::vector<RawMatch>& out) {
  using namespace byte_masks;
  const RuleIds& ids = Ids();
  // One pass, eight bytes at a time, stopping only at dots, at signs and capitals.
  std::size_t capitals_from = 0;  // a capital before this is inside a word already seen
  for (std::size_t chunk = 0; chunk < text.size(); chunk += 8) {
    const std::uint64_t bytes = LoadEight(text, chunk);
    std::uint64_t marks =
        BytesEqual(bytes, '.') | BytesEqual(bytes, '@') | BytesIn(bytes, 'A', 'Z');
    for (; marks != 0; marks &= marks - 1) {
      const std::size_t at = chunk + FirstMarked(marks);
      const char c = text[at];
      if (c == '.') {
        BareUrlAtDot(text, at, ids.url_bare, out);
        DottedMacAtDot(text, at, ids.mac_dotted, out);
      } else if (c == '@') {
        EmailAtSign(text, at, ids.email, out);
      } else if (at >= capitals_from) {
        capitals_from = FiscalCodeAtCapital(text, at, ids.it_fiscal_code, out);
      }
    }
  }
}

}  // namespace lanewise::inspect
