#include "inspect/name_detector.h"

#include <algorithm>
#include <string_view>

#include "inspect/gazetteer_lookup.h"

namespace lanewise::inspect {
namespace {

constexpr std::string_view kParticles[] = {"van", "von", "de", "da", "di",  "del", "della",
                                           "der", "den", "la", "le", "du",  "dos", "das",
                                           "bin", "ibn", "al", "el", "ter", "ten", "zu"};

// Phrases that introduce a person's name.
constexpr std::string_view kCues[] = {
    "my name is", "name is",   "named",      "called",  "i'm",     "i am",     "this is",
    "name",       "name :",    "dear",       "hi",      "hello",   "hey",      "thanks",
    "thank you",  "regards",   "sincerely",  "cheers",  "signed",  "attn",     "attn :",
    "son",        "daughter",  "wife",       "husband", "partner", "kid",      "child",
    "brother",    "sister",    "mother",     "father",  "mom",     "dad",      "friend",
    "colleague",  "boss",      "manager",    "patient", "client",  "customer", "guardian",
    "contact",    "ask",       "tell",       "meet",    "to :",    "from :",   "cc :",
    "author :",   "signed by", "written by", "said",    "says",    "asked",    "told",
    "spoke with", "speak to",  "talk to",    "reach",
};

// Capitalised words that are never names in running text.
constexpr std::string_view kNeverNames[] = {
    "i",        "the",       "a",        "an",        "this",      "that",     "these",
    "those",    "my",        "your",     "our",       "his",       "her",      "their",
    "he",       "she",       "we",       "they",      "you",       "it",       "monday",
    "tuesday",  "wednesday", "thursday", "friday",    "saturday",  "sunday",   "january",
    "february", "march",     "april",    "june",      "july",      "august",   "september",
    "october",  "november",  "december", "christmas", "easter",    "god",      "english",
    "french",   "german",    "spanish",  "italian",   "chinese",   "japanese", "american",
    "british",  "european",  "african",  "asian",     "christian", "muslim",   "jewish",
    "catholic", "please",    "thanks",   "hello",     "dear",      "hi",       "yes",
    "no",       "ok",        "okay",     "sir",       "madam",     "internet", "email",
    "phone",    "street",    "road",     "avenue",    "apt",       "suite",    "unit",
};

constexpr std::string_view kCoreTitles[] = {"mr",  "mrs", "ms",  "mx",  "dr",  "sir", "herr",
                                            "frau", "mme", "mlle", "sr", "sra", "srta", "sig",
                                            "dott", "prof", "rev", "hr", "fr"};

// Words after a run that make it an organisation.
constexpr std::string_view kOrgSuffixes[] = {
    "inc",         "ltd",          "llc",        "gmbh",       "corp",     "co",
    "company",     "group",        "plc",        "ag",         "sa",       "srl",
    "bv",          "nv",           "university", "bank",       "hotel",    "foundation",
    "institute",   "association",  "partners",   "associates", "holdings", "limited",
    "corporation", "technologies", "solutions",  "systems",    "labs",     "airlines",
};

// Prepositions after which a place reading wins.
constexpr std::string_view kPlacePrepositions[] = {"in", "at",    "from", "to",      "near",
                                                   "of", "visit", "via",  "towards", "into"};

template <std::size_t N>
bool OneOf(std::string_view word, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

bool IsInitial(const TokenizedText& t, std::size_t i) {
  const Token& tok = t[i];
  return tok.kind == TokenKind::kWord && tok.capitalized && tok.end - tok.start == 1;
}

}  // namespace

void NameDetector::Detect(const TokenizedText& t, std::vector<Finding>& out) const {
  const bool lower_mode = t.lowercase_text();
  const auto is_place = [&](const LexiconEntry* e) {
    return HasFlag(e, kCity) || HasFlag(e, kCountry) || HasFlag(e, kRegion);
  };
  const auto name_like = [&](std::size_t k) -> bool {
    const Token& tok = t[k];
    if (tok.kind != TokenKind::kWord) return false;
    const std::string_view lower = LowerWord(t, k);
    if (OneOf(lower, kNeverNames)) return false;
    if (lower_mode) {
      const LexiconEntry* e = gazetteer_.Find(lower);
      return (HasFlag(e, kGivenName) || HasFlag(e, kSurname)) && !HasFlag(e, kAmbiguous) &&
             !HasFlag(e, kStreetType);
    }
    return tok.capitalized && !tok.all_upper;
  };

  std::size_t i = 0;
  while (i < t.size()) {
    if (!name_like(i)) {
      ++i;
      continue;
    }
    // The run: name-like words, initials ("V."), particles between them; one line.
    std::vector<std::size_t> words{i};
    std::size_t k = i + 1;
    while (k < t.size() && words.size() < 4 && !t[k].newline_before) {
      if (t.IsPunct(k, '.') && IsInitial(t, words.back())) {
        ++k;
        continue;
      }
      if (t[k].kind == TokenKind::kWord && !t[k].capitalized && !lower_mode &&
          OneOf(t.Lower(t[k]), kParticles) && k + 1 < t.size() && name_like(k + 1)) {
        ++k;
        continue;
      }
      if (!name_like(k) && !IsInitial(t, k)) break;
      words.push_back(k);
      ++k;
    }
    const std::size_t next = k;  // first token after the run
    i = next;

    // Drop leading words that are not names when a given name follows ("Producer
    // Thomas Speer"), and a trailing initial.
    auto entry = [&](std::size_t w) { return LookupWord(gazetteer_, t, w); };
    while (words.size() > 1 && !HasFlag(entry(words[0]), kGivenName) &&
           !HasFlag(entry(words[0]), kSurname) && HasFlag(entry(words[1]), kGivenName)) {
      words.erase(words.begin());
    }
    while (words.size() > 1 && IsInitial(t, words.back())) words.pop_back();
    const std::size_t first = words.front();
    const std::size_t last = words.back();

    // Leave it to other detectors: street names, organisations, places.
    if (next < t.size() && t[next].kind == TokenKind::kWord && !t[next].newline_before) {
      const std::string_view after = t.Lower(t[next]);
      const LexiconEntry* e = gazetteer_.Find(after);
      if (OneOf(after, kOrgSuffixes)) continue;
      if (HasFlag(e, kStreetType) && t[next].capitalized && after.size() >= 2 &&
          !IsCommonWord(after)) {
        continue;
      }
    }
    if (HasFlag(entry(last), kStreetType) && words.size() > 1 &&
        !IsCommonWord(LowerWord(t, last)) && !HasFlag(entry(last), kSurname)) {
      continue;
    }
    if (first > 0 && t[first - 1].kind == TokenKind::kNumber && !t[first].newline_before) continue;
    if (!gazetteer_.GluedStreetSuffix(LowerWord(t, last)).empty() &&
        !HasFlag(entry(last), kSurname) && !HasFlag(entry(last), kGivenName)) {
      continue;
    }
    const bool place_preposition = [&] {
      for (std::string_view p : kPlacePrepositions) {
        if (PrecededBy(t, first, p)) return true;
      }
      return false;
    }();
    std::size_t phrase_last = 0;
    const LexiconEntry* whole =
        words.size() > 1
            ? LookupPhrase(gazetteer_, t, first, static_cast<int>(words.size()), &phrase_last)
            : entry(first);
    if (is_place(whole) && (place_preposition || !HasFlag(whole, kGivenName | kSurname))) continue;

    // A title: capitalised, and abbreviated with a dot ("Dr.", "Sra."), a core title
    // ("Mr", "Frau") or a full word ("Doctor", "Señor"). The list also holds short words
    // of other languages ("on", "me") that are no evidence without that shape.
    bool title = false;
    if (first > 0 && !t[first].newline_before) {
      std::size_t b = first - 1;
      const bool dot = t.IsPunct(b, '.') && b > 0;
      if (dot) --b;
      if (t[b].kind == TokenKind::kWord && (t[b].capitalized || lower_mode) &&
          HasFlag(gazetteer_.Find(t.Lower(t[b])), kPersonTitle)) {
        const std::string_view w = t.Lower(t[b]);
        title = dot || w.size() >= 4 || OneOf(w, kCoreTitles);
      }
    }
    bool cue = false;
    for (std::string_view c : kCues) {
      if (PrecededBy(t, first, c)) {
        cue = true;
        break;
      }
    }

    const LexiconEntry* e_first = entry(first);
    const LexiconEntry* e_last = entry(last);
    const bool given_first = HasFlag(e_first, kGivenName);
    const bool ambiguous_first = HasFlag(e_first, kAmbiguous);
    double score = 0.0;
    if (title) {
      score = 0.9;
    } else if (cue && (e_first != nullptr || !lower_mode)) {
      score = ambiguous_first && words.size() == 1 ? 0.6 : 0.85;
    } else if (words.size() >= 2) {
      const bool last_known_surname = HasFlag(e_last, kSurname) || HasFlag(e_last, kGivenName);
      const bool last_unknown = e_last == nullptr;
      if (given_first && !ambiguous_first && (last_known_surname || last_unknown)) {
        score = 0.85;
      } else if (given_first && last_known_surname) {
        score = 0.75;  // John Smith: both also words, together a name
      } else if (HasFlag(e_first, kSurname) && HasFlag(e_last, kGivenName | kSurname) &&
                 !ambiguous_first && !HasFlag(e_last, kAmbiguous)) {
        score = 0.6;
      }
    } else {
      const Token& tok = t[first];
      const bool mid_sentence = !tok.sentence_start && !lower_mode;
      const bool vocative = t.IsPunct(next, ',') || t.IsPunct(next, '!') || t.IsPunct(next, '?');
      if (given_first && !ambiguous_first) {
        if (lower_mode) {
          score = e_first->given_count >= 1000 ? 0.55 : 0.0;
        } else {
          score = mid_sentence || vocative ? 0.65 : 0.5;
        }
        if (e_first->given_count >= 20000 && score > 0) score += 0.05;
      } else if (HasFlag(e_first, kSurname) && !HasFlag(e_first, kAmbiguous) && mid_sentence) {
        score = 0.55;
      }
      if (is_place(e_first)) score -= 0.1;
    }
    if (score < 0.5) continue;
    Finding f;
    f.type = kPerson;
    f.start = t[first].start;
    // A possessive "'s" is not part of the name.
    const std::size_t possessive = t.Lower(t[last]).size() - LowerWord(t, last).size();
    f.end = t[last].end - static_cast<std::uint32_t>(possessive);
    f.confidence = static_cast<float>(std::min(score, 0.9));
    out.push_back(f);
  }
}

}  // namespace lanewise::inspect
