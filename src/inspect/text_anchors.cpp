#include "inspect/text_anchors.h"

#include <algorithm>
#include <array>
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

}  // namespace

bool MatchedAsTextAnchor(Rule rule) {
  return rule == Rule::kUrlBare || rule == Rule::kEmail;
}

void FindTextAnchors(std::string_view text, std::vector<RawMatch>& out) {
  const RuleIds& ids = Ids();
  FindBareUrls(text, ids.url_bare, out);
  FindEmailAnchors(text, ids.email, out);
}

}  // namespace lanewise::inspect
