#include "inspect/gazetteer/location_detector.h"

#include <algorithm>
#include <string_view>

#include "inspect/gazetteer/gazetteer_lookup.h"

namespace lanewise::inspect {
namespace {

constexpr std::string_view kPrepositions[] = {"in",      "from",    "to",     "at",  "near",
                                              "visit",   "visited", "around", "via", "outside",
                                              "towards", "into",    "across", "of"};

constexpr std::string_view kNeverPlaces[] = {
    "i",      "the",      "a",       "an",     "this",  "that",    "my",     "we",
    "you",    "he",       "she",     "it",     "they",  "mobile",  "office", "phone",
    "street", "suite",    "unit",    "apt",    "march", "may",     "june",   "august",
    "please", "thanks",   "hello",   "dear",   "hi",    "ok",      "email",  "fax",
    "date",   "name",     "address", "mr",     "mrs",   "ms",      "dr",     "god",
    "bank",   "internet", "cloud",   "python", "java",  "windows", "linux",  "android",
};

}  // namespace

void LocationDetector::Detect(const TokenizedText& t, std::vector<Finding>& out) const {
  const std::size_t n = t.size();
  const bool lower_mode = t.lowercase_text();
  std::size_t k = 0;
  while (k < n) {
    const Token& tok = t[k];
    if (!lower_mode && !(tok.capitalized || tok.all_upper)) {
      k = t.NextCapitalised(k + 1);  // places start with a capital in mixed-case text
      continue;
    }
    if (tok.kind != TokenKind::kWord || InList<kNeverPlaces>(t.WordKey(tok))) {
      ++k;
      continue;
    }
    const LexiconEntry* e = nullptr;
    std::size_t last = k;
    int words = PhraseWordsAt(gazetteer_, t, k);
    for (; words >= 1; --words) {
      std::size_t end = 0;
      const LexiconEntry* candidate = LookupPhrase(gazetteer_, t, k, words, &end);
      if (HasFlag(candidate, kCity) || HasFlag(candidate, kCountry) ||
          HasFlag(candidate, kRegion)) {
        // Every word of a multi-word place is capitalised ("of", "and", "the" excepted).
        bool shaped = true;
        for (std::size_t j = k; j <= end && !lower_mode; ++j) {
          if (t[j].kind != TokenKind::kWord) continue;
          const std::string_view w = t.Lower(t[j]);
          if (!t[j].capitalized && w != "of" && w != "and" && w != "the" && w != "de" &&
              w != "la" && w != "del" && w != "da" && w != "do" && w != "nad" && w != "u") {
            shaped = false;
          }
        }
        if (!shaped) continue;
        e = candidate;
        last = end;
        break;
      }
    }
    if (e == nullptr) {
      ++k;
      continue;
    }
    const bool preposition = PrecededByAny<kPrepositions>(t, k);
    const bool single = last == k;
    // Given names need a preposition; for countries only common ones (Jordan, Chad).
    const bool given = HasFlag(e, kGivenName) && (!HasFlag(e, kCountry) || e->given_count >= 1000);
    const bool needs_cue = HasFlag(e, kAmbiguous) || (single && given) ||
                           (single && tok.sentence_start && !HasFlag(e, kCountry)) ||
                           (single && lower_mode && !HasFlag(e, kCountry));
    if (needs_cue && !preposition) {
      k = last + 1;
      continue;
    }
    double confidence = 0.0;
    if (HasFlag(e, kCountry)) {
      confidence = 0.75;
    } else if (HasFlag(e, kRegion)) {
      confidence = 0.6;
    } else {
      confidence = e->population() >= 100000 ? 0.65 : 0.55;
    }
    if (preposition) confidence += 0.15;
    if (tok.all_upper && single && t[k].end - t[k].start < 4) confidence -= 0.2;  // codes
    if (confidence >= 0.5) {
      Finding f;
      f.type = kLocation;
      f.start = t[k].start;
      const std::size_t possessive = t.Lower(t[last]).size() - LowerWord(t, last).size();
      f.end = t[last].end - static_cast<std::uint32_t>(possessive);
      f.confidence = static_cast<float>(std::min(confidence, 0.85));
      out.push_back(f);
    }
    k = last + 1;
  }
}

}  // namespace lanewise::inspect
