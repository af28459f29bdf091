#include "inspect/address_detector.h"

#include <algorithm>
#include <string_view>

#include "inspect/gazetteer_lookup.h"

namespace lanewise::inspect {
namespace {

constexpr std::string_view kParticles[] = {
    "de",  "la",  "le",  "les",   "del",   "della", "da",    "do", "dos", "das", "di",
    "du",  "des", "van", "von",   "der",   "den",   "het",   "z",  "u",   "nad", "pod",
    "na",  "am",  "an",  "im",    "auf",   "e",     "y",     "i",  "el",  "al",  "of",
    "the", "and", "st",  "sankt", "saint", "san",   "santa", "sur"};

constexpr std::string_view kAddressCues[] = {
    "lives at",    "live at",     "living at",       "address is", "address :",  "located at",
    "sent to",     "send it to",  "ship to",         "ship it to", "deliver to", "delivered to",
    "delivery to", "moved to",    "meet me at",      "taxi to",    "arrived at", "is at",
    "are at",      "based at",    "resides at",      "reside at",  "staying at", "stay at",
    "mail to",     "addresses :", "here they are :",
};

constexpr std::string_view kZipCues[] = {
    "zip code is", "zip code", "zip",        "postal code",   "postcode",
    "post code",   "plz",      "zip code :", "postal code :", "postcode :"};

constexpr std::string_view kExtraUnits[] = {"postbox", "box", "pmb",  "psc",  "apartment", "apt",
                                            "suite",   "ste", "unit", "flat", "floor",     "fl"};

constexpr std::string_view kContactWords[] = {"office", "fax",   "mobile", "phone", "tel",
                                              "desk",   "email", "e-mail", "cell",  "home"};

template <std::size_t N>
bool OneOf(std::string_view word, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

bool IsShortNumber(const TokenizedText& t, std::size_t k) {
  return k < t.size() && t[k].kind == TokenKind::kNumber && t[k].end - t[k].start <= 6;
}

struct Region {
  std::size_t first;
  std::size_t last;
  double confidence;
};

}  // namespace

void AddressDetector::Detect(const TokenizedText& t, std::vector<Finding>& out) const {
  const std::size_t n = t.size();
  if (n == 0) return;
  const bool lower_mode = t.lowercase_text();
  auto entry = [&](std::size_t k) { return LookupWord(gazetteer_, t, k); };
  auto is_street = [&](std::size_t k) {
    if (k >= n || t[k].kind != TokenKind::kWord) return false;
    // "1st", "2nd": an ordinal, not "St".
    if (k > 0 && t[k - 1].kind == TokenKind::kNumber && !t[k].space_before) return false;
    return HasFlag(entry(k), kStreetType);
  };
  auto is_glued = [&](std::size_t k) {
    return k < n && t[k].kind == TokenKind::kWord && (t[k].capitalized || lower_mode) &&
           !gazetteer_.GluedStreetSuffix(LowerWord(t, k)).empty();
  };
  auto is_unit = [&](std::size_t k) {
    if (k >= n || t[k].kind != TokenKind::kWord) return false;
    const std::string_view w = t.Lower(t[k]);
    return OneOf(w, kExtraUnits) || HasFlag(entry(k), kUnitWord);
  };
  // Index of the number after a unit word ("Apt. 117", "Suite #5"), or n.
  auto unit_number = [&](std::size_t k) -> std::size_t {
    std::size_t j = k + 1;
    while (j < n && (t.IsPunct(j, '.') || t.IsPunct(j, '#')) && !t[j].newline_before) ++j;
    return IsShortNumber(t, j) && !t[j].newline_before ? j : n;
  };
  auto place_end = [&](std::size_t k) -> std::size_t {  // last token of a place phrase, or n
    if (k >= n || t[k].kind != TokenKind::kWord) return n;
    for (int words = std::min(gazetteer_.max_phrase_words(), 6); words >= 1; --words) {
      std::size_t last = 0;
      const LexiconEntry* e = LookupPhrase(gazetteer_, t, k, words, &last);
      if (HasFlag(e, kCity) || HasFlag(e, kCountry) || HasFlag(e, kRegion)) return last;
    }
    return n;
  };
  auto number_near = [&](std::size_t k, int before, int after) {
    for (std::size_t j = k; j > 0 && static_cast<int>(k - j) < before;) {
      if (t[j].newline_before) break;
      --j;
      if (IsShortNumber(t, j)) return true;
    }
    for (std::size_t j = k + 1; j < n && static_cast<int>(j - k) <= after; ++j) {
      if (t[j].newline_before) break;
      if (IsShortNumber(t, j)) return true;
    }
    return false;
  };
  auto contact_line = [&](std::size_t k) {  // the line starting at k holds contact words
    for (std::size_t j = k; j < n && j < k + 8; ++j) {
      if (j > k && t[j].newline_before) break;
      if (t[j].kind == TokenKind::kWord && OneOf(t.Lower(t[j]), kContactWords)) return true;
      if (t.IsPunct(j, '@') || t.IsPunct(j, '+')) return true;
    }
    return false;
  };

  std::vector<Region> regions;
  auto grow = [&](std::size_t first, std::size_t last, double confidence, bool extend_left) {
    // Left: street-name words (capitalised, particles, initials), then numbers and units.
    if (extend_left) {
      int words = 0;
      while (first > 0 && !t[first].newline_before && words < 4) {
        const std::size_t p = first - 1;
        const Token& tok = t[p];
        const bool name_word = tok.kind == TokenKind::kWord &&
                               (tok.capitalized || OneOf(t.Lower(tok), kParticles) || lower_mode) &&
                               !HasFlag(entry(p), kPersonTitle) &&
                               !OneOf(t.Lower(tok), kAddressCues);
        const bool abbreviation_dot = t.IsPunct(p, '.') && p > 0 &&
                                      t[p - 1].kind == TokenKind::kWord &&
                                      t[p - 1].end - t[p - 1].start <= 3;
        if (!name_word && !abbreviation_dot) break;
        if (name_word && lower_mode && !is_street(p) && !is_glued(p) && words > 0) break;
        first = p;
        ++words;
      }
      int numbers = 0;
      while (first > 0 && !t[first].newline_before && numbers < 4) {
        const std::size_t p = first - 1;
        if (IsShortNumber(t, p) || (is_unit(p) && unit_number(p) < n) || t.IsPunct(p, ',')) {
          first = p;
          ++numbers;
          continue;
        }
        break;
      }
      while (first < last && t[first].kind == TokenKind::kPunct) ++first;
    }
    // Right: address tokens, across lines that still look like address lines.
    int lines = 1;
    bool has_place = false;
    bool has_unit = false;
    std::size_t k = last + 1;
    while (k < n) {
      const Token& tok = t[k];
      if (tok.newline_before) {
        if (lines >= 5 || contact_line(k)) break;
        const bool address_line = IsShortNumber(t, k) || is_unit(k) || t.IsPunct(k, ',') ||
                                  (tok.kind == TokenKind::kWord && (tok.capitalized || lower_mode));
        if (!address_line) break;
        ++lines;
      }
      if (tok.kind == TokenKind::kNumber) {
        if (!IsShortNumber(t, k)) break;
        last = k++;
        continue;
      }
      if (tok.kind == TokenKind::kPunct) {
        const char c = t.text()[tok.start];
        if (c == ',' || c == '#' || c == '-' || c == '/' || c == '(' || c == ')' || c == '\'' ||
            c == '.') {
          if (c == '.' && (k + 1 >= n || (t[k + 1].kind == TokenKind::kWord &&
                                          !t[k + 1].capitalized && !lower_mode))) {
            break;  // a sentence ends
          }
          ++k;
          continue;
        }
        break;
      }
      const std::size_t place = place_end(k);
      if (place < n && (tok.capitalized || tok.all_upper || lower_mode)) {
        has_place = true;
        last = k = place;
        ++k;
        continue;
      }
      const std::string_view lower = t.Lower(tok);
      if (is_unit(k) || is_street(k) || is_glued(k)) {
        has_unit = has_unit || is_unit(k);
        last = k++;
        continue;
      }
      if (tok.capitalized || tok.all_upper || OneOf(lower, kParticles) ||
          (lower_mode && tok.end - tok.start <= 3)) {
        if (!tok.capitalized && !tok.all_upper && !lower_mode) {
          // A particle must be followed by a capitalised word on the same line.
          if (k + 1 >= n || t[k + 1].newline_before || !t[k + 1].capitalized) break;
        }
        last = k++;
        continue;
      }
      break;
    }
    double c =
        confidence + (has_place ? 0.1 : 0.0) + (has_unit ? 0.05 : 0.0) + (lines > 1 ? 0.05 : 0.0);
    regions.push_back({first, last, std::min(c, 0.9)});
  };

  for (std::size_t k = 0; k < n; ++k) {
    const Token& tok = t[k];
    if (tok.kind == TokenKind::kWord) {
      const std::string_view lower = t.Lower(tok);
      if ((lower == "apo" || lower == "fpo" || lower == "dpo") && k + 2 < n &&
          t[k + 1].kind == TokenKind::kWord && IsShortNumber(t, k + 2)) {
        // Military: the whole "PSC 1234, Box 5678 / APO AE 12345" block.
        std::size_t first = k;
        if (k > 0 && t[k].newline_before) {
          std::size_t j = k - 1;
          while (j > 0 && !t[j].newline_before) --j;
          first = j;
        }
        regions.push_back({first, k + 2, 0.8});
        continue;
      }
      if (is_street(k) || is_glued(k)) {
        if (number_near(k, 4, 3)) {
          grow(k, k, 0.75, true);
        } else if (tok.capitalized && k > 0 && t[k - 1].kind == TokenKind::kWord &&
                   t[k - 1].capitalized && !t[k].newline_before && !is_street(k - 1) &&
                   !HasFlag(entry(k), kAmbiguous)) {
          grow(k, k, 0.55, true);
        }
        continue;
      }
      if (is_unit(k)) {
        const std::size_t num = unit_number(k);
        if (num < n) grow(k, num, 0.55, false);
        continue;
      }
    }
    if (IsShortNumber(t, k)) {
      bool zip = false;
      for (std::string_view cue : kZipCues) zip = zip || PrecededBy(t, k, cue);
      if (zip && t[k].end - t[k].start >= 4) {
        regions.push_back({k, k, 0.7});
        continue;
      }
      bool cue = false;
      for (std::string_view c : kAddressCues) cue = cue || PrecededBy(t, k, c);
      // A cue, a house number, then a capitalised word (the street) on the same line.
      if (cue) {
        std::size_t j = k + 1;
        while (IsShortNumber(t, j) && !t[j].newline_before) ++j;
        if (j < n && !t[j].newline_before && t[j].kind == TokenKind::kWord &&
            (t[j].capitalized || lower_mode || OneOf(t.Lower(t[j]), kParticles))) {
          grow(k, k, 0.6, false);
        }
      }
    }
  }

  // Merge overlapping or touching regions; emit.
  std::sort(regions.begin(), regions.end(),
            [](const Region& a, const Region& b) { return a.first < b.first; });
  std::vector<Region> merged;
  for (const Region& r : regions) {
    if (!merged.empty() && r.first <= merged.back().last + 1) {
      merged.back().last = std::max(merged.back().last, r.last);
      merged.back().confidence =
          std::min(0.9, std::max(merged.back().confidence, r.confidence) + 0.05);
      continue;
    }
    merged.push_back(r);
  }
  for (const Region& r : merged) {
    std::size_t last = r.last;
    while (last > r.first && t[last].kind == TokenKind::kPunct && !t.IsPunct(last, ')')) --last;
    Finding f;
    f.type = kStreetAddress;
    f.start = t[r.first].start;
    f.end = t[last].end;
    f.confidence = static_cast<float>(r.confidence);
    out.push_back(f);
  }
}

}  // namespace lanewise::inspect
