#include "inspect/gazetteer/address_detector.h"

#include <algorithm>
#include <string_view>

#include "inspect/gazetteer/gazetteer_lookup.h"

namespace lanewise::inspect {
namespace {

constexpr std::string_view kParticles[] = {
    "de",  "la",  "le",    "les", "del", "della", "da",    "do",    "dos", "das",
    "di",  "du",  "des",   "van", "von", "der",   "den",   "het",   "z",   "u",
    "nad", "pod", "na",    "am",  "an",  "im",    "auf",   "e",     "y",   "i",
    "el",  "al",  "of",    "the", "and", "st",    "sankt", "saint", "san", "santa",
    "sur", "dei", "degli", "ul",  "os",  "út",    "utca",  "tér",   "u"};

constexpr std::string_view kAddressCues[] = {
    "lives at",   "live at",     "living at",  "lives on",     "live on",     "living on",
    "address is", "address :",   "located at", "located on",   "sent to",     "send it to",
    "ship to",    "ship it to",  "deliver to", "delivered to", "delivery to", "moved to",
    "meet me at", "taxi to",     "arrived at", "is at",        "are at",      "is on",
    "based at",   "resides at",  "reside at",  "staying at",   "stay at",     "mail to",
    "off at",     "addresses :", "address",    "located in",   "office at",   "offices at"};

constexpr std::string_view kZipCues[] = {
    "zip code is", "zip code",   "zip",           "postal code", "postcode",     "post code",
    "plz",         "zip code :", "postal code :", "postcode :",  "zip code is :"};

constexpr std::string_view kExtraUnits[] = {"postbox", "box",   "pmb",  "psc",  "apartment",
                                            "apt",     "suite", "ste",  "unit", "flat",
                                            "floor",   "fl",    "room", "bldg", "building"};

// Words that label the number after them as an identifier ("Room 859", "Tracking id
// 978", "Chapter 65", "order no. 12"): such a number is no house number.
constexpr std::string_view kNumberLabels[] = {
    "number",   "no",      "nr",       "num",    "id",       "code",      "card",      "order",
    "invoice",  "account", "acct",     "ticket", "tracking", "reference", "ref",       "chapter",
    "section",  "step",    "page",     "table",  "row",      "figure",    "fig",       "version",
    "model",    "item",    "flight",   "gate",   "case",     "batch",     "build",     "claim",
    "policy",   "level",   "question", "note",   "pin",      "serial",    "shipment",  "queue",
    "employee", "patient", "room",     "block",  "class",    "grade",     "week",      "day",
    "year",     "part",    "phase",    "round",  "episode",  "season",    "volume",    "vol",
    "issue",    "exhibit", "appendix", "line",   "item",     "ext",       "extension", "pallet"};

// Words that make the number before them a quantity or a time ("at 5 pm", "12 dollars").
constexpr std::string_view kQuantityWords[] = {
    "am",     "pm",      "minutes", "minute", "mins",    "min",   "hours",   "hour",  "hrs",
    "days",   "weeks",   "months",  "years",  "dollars", "usd",   "eur",     "euros", "percent",
    "people", "persons", "items",   "boxes",  "pallets", "times", "pages",   "kg",    "km",
    "miles",  "lbs",     "points",  "pts",    "seconds", "secs",  "options", "units"};

// Street types of the gazetteer that, in running text, are almost always ordinary words.
constexpr std::string_view kNotStreetWords[] = {"number", "form", "call", "item"};

constexpr std::string_view kContactWords[] = {"office", "fax",   "mobile", "phone", "tel",
                                              "desk",   "email", "e-mail", "cell",  "home"};

bool IsShortNumber(const TokenizedText& t, std::size_t k) {
  return k < t.size() && t[k].short_number;
}

// A short number or a capitalised word (IsShortNumber or Cap of its index).
bool StrongToken(const Token& tok) {
  return tok.strong;
}

struct Region {
  std::size_t first;
  std::size_t last;
  double confidence;
};

class Scanner {
 public:
  // Appends the regions found to `regions`.
  Scanner(const Gazetteer& g, const TokenizedText& t, std::vector<Region>& regions)
      : g_(g), t_(t), n_(t.size()), lower_mode_(t.lowercase_text()), regions_(regions) {}

  void Run();

 private:
  const LexiconEntry* Entry(std::size_t k) const { return LookupWord(g_, t_, k); }
  bool Word(std::size_t k) const { return k < n_ && t_[k].kind == TokenKind::kWord; }
  bool Cap(std::size_t k) const { return Word(k) && (t_[k].capitalized || t_[k].all_upper); }
  bool SameLine(std::size_t a, std::size_t b) const {  // a < b
    for (std::size_t j = a + 1; j <= b && j < n_; ++j) {
      if (t_[j].newline_before) return false;
    }
    return true;
  }

  // A number or a capitalised word next to token k (k-1, k+1, or k+2 after a dot).
  // Inlined: asked for every word of the text.
  [[gnu::always_inline]] bool AddressNeighbour(std::size_t k) const {
    if (k > 0 && !t_[k].newline_before && StrongToken(t_[k - 1])) return true;
    if (k + 1 >= n_ || t_[k + 1].newline_before) return false;
    if (StrongToken(t_[k + 1])) return true;
    return t_.IsPunct(k + 1, '.') && k + 2 < n_ && !t_[k + 2].newline_before &&
           StrongToken(t_[k + 2]);
  }
  // A capitalised word that can be part of a street name (not "I", not a function word).
  bool NameWord(std::size_t k) const {
    return Cap(k) && t_[k].end - t_[k].start >= 2 && !IsCommonWord(t_.LowerKey(t_[k]));
  }
  // Whether the word can be a street type / a unit word at all. Many words cannot,
  // which the gazetteer's flag summary tells without a lookup.
  bool MaybeStreetType(std::size_t k) const {
    return g_.PossibleFlags(t_[k].word_hash) & kStreetType;
  }
  bool MaybeUnitWord(std::size_t k) const {
    return (g_.PossibleFlags(t_[k].word_hash) & kUnitWord) ||
           InList<kExtraUnits>(t_.LowerKey(t_[k]));
  }
  bool Street(std::size_t k) const { return Word(k) && MaybeStreetType(k) && StreetWord(k); }
  bool StreetWord(std::size_t k) const {
    const std::string_view lower = t_.Lower(t_[k]);
    if (lower.size() < 2) return false;
    // A street word stands by a number or a capitalised word; elsewhere (prose) it is
    // not even looked up.
    if (!lower_mode_ && !AddressNeighbour(k)) return false;
    // "1st", "2nd": an ordinal.
    if (k > 0 && t_[k - 1].kind == TokenKind::kNumber && !t_[k].space_before) return false;
    // The cheap tests first: a lower-case common word ("at", "is") is no street word,
    // whatever the gazetteer says.
    const bool common = IsCommonWord(t_.LowerKey(t_[k]));
    if (common && (!t_[k].capitalized || t_[k].all_upper)) return false;
    if (!HasFlag(Entry(k), kStreetType)) return false;
    if (InList<kNotStreetWords>(t_.LowerKey(t_[k]))) return false;
    const bool prev_name = k > 0 && NameWord(k - 1) && SameLine(k - 1, k);
    if (common) return prev_name || lower == "st";
    const bool prev_number = k > 0 && IsShortNumber(t_, k - 1) && SameLine(k - 1, k);
    if (!t_[k].capitalized && !lower_mode_) {
      // In mixed-case text a lower-case street word leads or follows a capitalised
      // street name: "rue de la Gare", "ul. Słowicza", "Erzsébet tér".
      std::size_t j = k + 1;
      if (t_.IsPunct(j, '.')) ++j;
      while (j < n_ && j < k + 5 && Word(j) && !t_[j].capitalized &&
             InList<kParticles>(t_.LowerKey(t_[j]))) {
        ++j;
      }
      const bool next_name = NameWord(j) && SameLine(k, j);
      return next_name || prev_name || (prev_number && next_name);
    }
    return true;
  }
  bool Glued(std::size_t k) const {
    return Word(k) && (t_[k].capitalized || lower_mode_) && HasGluedStreetSuffix(g_, t_, k);
  }
  bool Unit(std::size_t k) const { return Word(k) && MaybeUnitWord(k) && UnitWord(k); }
  bool UnitWord(std::size_t k) const {
    const std::string_view w = t_.Lower(t_[k]);
    if (w.size() < 2) return false;
    if (!t_[k].capitalized && !lower_mode_ && w != "apt" && w != "suite" && w != "unit") {
      return false;
    }
    if (!AddressNeighbour(k)) return false;
    return InList<kExtraUnits>(t_.LowerKey(t_[k])) || HasFlag(Entry(k), kUnitWord);
  }
  // Index of the number after a unit word ("Apt. 117", "Suite #5"), or n.
  std::size_t UnitNumber(std::size_t k) const {
    std::size_t j = k + 1;
    while (j < n_ && (t_.IsPunct(j, '.') || t_.IsPunct(j, '#')) && !t_[j].newline_before) ++j;
    return IsShortNumber(t_, j) && !t_[j].newline_before ? j : n_;
  }
  std::size_t PlaceEnd(std::size_t k) const {  // last token of a place phrase, or n
    if (!Word(k)) return n_;
    for (int words = PhraseWordsAt(g_, t_, k); words >= 1; --words) {
      std::size_t last = 0;
      const LexiconEntry* e = LookupPhrase(g_, t_, k, words, &last);
      if (HasFlag(e, kCity) || HasFlag(e, kCountry) || HasFlag(e, kRegion)) return last;
    }
    return n_;
  }
  bool NumberNear(std::size_t k, int before, int after) const {
    for (std::size_t j = k; j > 0 && static_cast<int>(k - j) < before;) {
      if (t_[j].newline_before) break;
      --j;
      if (HouseNumber(j)) return true;
    }
    for (std::size_t j = k + 1; j < n_ && static_cast<int>(j - k) <= after; ++j) {
      if (t_[j].newline_before) break;
      if (HouseNumber(j)) return true;
    }
    return false;
  }
  // A short number that can be a house number: not one in parentheses, which is a phone
  // number's area code ("one line. (212) 734-9921" is no address on Line).
  bool HouseNumber(std::size_t j) const {
    return IsShortNumber(t_, j) && !(j > 0 && t_.IsPunct(j - 1, '(') && t_.IsPunct(j + 1, ')')) &&
           !LabelledNumber(j) && !Quantity(j);
  }
  bool Quantity(std::size_t j) const {
    return Word(j + 1) && !t_[j + 1].newline_before &&
           InList<kQuantityWords>(t_.LowerKey(t_[j + 1]));
  }
  // A number right after a label word on its line, maybe with a '.', ':' or '#' between.
  bool LabelledNumber(std::size_t j) const {
    if (j == 0 || t_[j].newline_before) return false;
    std::size_t b = j - 1;
    if (b > 0 && (t_.IsPunct(b, '.') || t_.IsPunct(b, ':') || t_.IsPunct(b, '#')) &&
        !t_[b].newline_before) {
      --b;
    }
    return Word(b) && InList<kNumberLabels>(t_.LowerKey(t_[b]));
  }
  bool ContactLine(std::size_t k) const {
    for (std::size_t j = k; j < n_ && j < k + 40; ++j) {
      if (j > k && t_[j].newline_before) break;
      if (Word(j) && InList<kContactWords>(t_.LowerKey(t_[j]))) return true;
      if (t_.IsPunct(j, '@') || t_.IsPunct(j, '+')) return true;
    }
    return false;
  }
  bool AddressCueBefore(std::size_t k) const { return PrecededByAny<kAddressCues>(t_, k); }
  // Tokens that may stand in a street line: numbers, capitalised words, particles,
  // street and unit words, abbreviation dots, commas.
  bool StreetLineToken(std::size_t k) const {
    const Token& tok = t_[k];
    if (IsShortNumber(t_, k)) return true;
    if (tok.kind == TokenKind::kPunct) {
      const char c = t_.text()[tok.start];
      return c == '.' || c == ',' || c == '-' || c == '/';
    }
    if (tok.kind != TokenKind::kWord) return false;
    const HashedWord lower = t_.LowerKey(tok);
    if (HasFlag(Entry(k), kPersonTitle) && tok.end - tok.start > 1 && t_.IsPunct(k + 1, '.')) {
      return false;
    }
    return tok.capitalized || tok.all_upper || lower_mode_ || InList<kParticles>(lower) ||
           Street(k);
  }

  void Grow(std::size_t first, std::size_t last, double confidence);
  std::size_t ExtendLeft(std::size_t first) const;

  const Gazetteer& g_;
  const TokenizedText& t_;
  std::size_t n_;
  bool lower_mode_;
  std::vector<Region>& regions_;
};

std::size_t Scanner::ExtendLeft(std::size_t first) const {
  int taken = 0;
  while (first > 0 && !t_[first].newline_before && taken < 6) {
    const std::size_t p = first - 1;
    if (!StreetLineToken(p) || AddressCueBefore(first)) break;
    // A titled name ("Mrs. Barbara Yudina") is not part of the street line.
    if (Word(p) && p > 0) {
      std::size_t b = p - 1;
      if (t_.IsPunct(b, '.') && b > 0) --b;
      if (Word(b) && HasFlag(Entry(b), kPersonTitle) && t_[b].capitalized) break;
    }
    if (lower_mode_ && Word(p) && !Street(p) && !Glued(p) && !IsShortNumber(t_, p) && taken > 1) {
      break;
    }
    first = p;
    ++taken;
  }
  while (first < n_ && t_[first].kind == TokenKind::kPunct) ++first;
  // The previous line joins when it is a street line: "20789 Allika 46" above "Suite 501".
  if (first > 0 && t_[first].newline_before) {
    std::size_t j = first - 1;
    std::size_t line_start = j;
    while (line_start > 0 && !t_[line_start].newline_before) --line_start;
    bool number = false;
    bool word = false;
    bool ok = j - line_start < 10;
    for (std::size_t k = line_start; k <= j && ok; ++k) {
      ok = StreetLineToken(k);
      number = number || IsShortNumber(t_, k);
      word = word || Word(k);
    }
    if (ok && number && word && IsShortNumber(t_, j)) first = line_start;
  }
  return first;
}

void Scanner::Grow(std::size_t first, std::size_t last, double confidence) {
  first = ExtendLeft(first);
  int lines = 1;
  bool has_place = false;
  bool has_unit = false;
  std::size_t k = last + 1;
  while (k < n_) {
    const Token& tok = t_[k];
    if (tok.newline_before) {
      if (lines >= 6 || ContactLine(k)) break;
      const bool address_line = IsShortNumber(t_, k) || Unit(k) || t_.IsPunct(k, ',') ||
                                (Word(k) && (tok.capitalized || tok.all_upper || lower_mode_));
      if (!address_line) break;
      ++lines;
    }
    if (tok.kind == TokenKind::kNumber) {
      if (!IsShortNumber(t_, k)) break;
      last = k++;
      continue;
    }
    if (tok.kind == TokenKind::kPunct) {
      const char c = t_.text()[tok.start];
      if (c == ',' || c == '#' || c == '-' || c == '/' || c == '(' || c == ')' || c == '\'' ||
          c == '.') {
        if (c == '.' && (k + 1 >= n_ || (Word(k + 1) && !Cap(k + 1) && !lower_mode_))) break;
        ++k;
        continue;
      }
      break;
    }
    const std::size_t place = PlaceEnd(k);
    if (place < n_ && (tok.capitalized || tok.all_upper || lower_mode_)) {
      has_place = true;
      last = k = place;
      ++k;
      continue;
    }
    const HashedWord lower = t_.LowerKey(tok);
    if (Unit(k) || Street(k) || Glued(k)) {
      has_unit = has_unit || Unit(k);
      last = k++;
      continue;
    }
    if (tok.capitalized || tok.all_upper) {
      last = k++;
      continue;
    }
    if (lower_mode_ && tok.end - tok.start <= 3 && !IsCommonWord(lower)) {
      last = k++;
      continue;
    }
    if (InList<kParticles>(lower) && Cap(k + 1) && SameLine(k, k + 1)) {
      last = k++;
      continue;
    }
    break;
  }
  const double c =
      confidence + (has_place ? 0.1 : 0.0) + (has_unit ? 0.05 : 0.0) + (lines > 1 ? 0.05 : 0.0);
  regions_.push_back({first, last, std::min(c, 0.88)});
}

void Scanner::Run() {
  for (std::size_t k = 0; k < n_; ++k) {
    const Token& tok = t_[k];
    if (tok.kind == TokenKind::kWord) {
      const std::string_view lower = t_.Lower(tok);
      if ((lower == "apo" || lower == "fpo" || lower == "dpo") && k + 2 < n_ && Word(k + 1) &&
          IsShortNumber(t_, k + 2)) {
        // Military: "PSC 1234, Box 5678 / APO AE 12345", "USS Name / FPO AA 12345".
        std::size_t first = k;
        if (k > 0 && t_[k].newline_before) {
          std::size_t j = k - 1;
          while (j > 0 && !t_[j].newline_before) --j;
          first = j;
        }
        regions_.push_back({first, k + 2, 0.85});
        continue;
      }
      // Street and Unit need a number or a capitalised word next to the word (Unit even
      // in lower-case text): asked first, as most words have neither.
      const bool neighbour = AddressNeighbour(k);
      if (((neighbour || lower_mode_) && Street(k)) || Glued(k)) {
        if (NumberNear(k, 4, 3)) {
          Grow(k, k, 0.75);
        } else if (tok.capitalized && !tok.all_upper && lower.size() >= 3 && k > 0 && Cap(k - 1) &&
                   SameLine(k - 1, k) && !Street(k - 1) &&
                   !HasFlag(Entry(k), kGivenName | kSurname)) {
          // "on Marina Fort Street": a street name without a number needs a cue.
          std::size_t s = k - 1;
          while (s > 0 && Cap(s - 1) && SameLine(s - 1, s) && k - s < 4) --s;
          if (AddressCueBefore(s) || PrecededBy(t_, s, "on") || PrecededBy(t_, s, "at")) {
            regions_.push_back({s, k, 0.6});
          }
        }
        continue;
      }
      // A unit word that labels numbers anywhere ("Room 859", "Block 12", "number 5") is
      // no address on its own.
      if (neighbour && Unit(k) && !InList<kNumberLabels>(t_.LowerKey(tok))) {
        const std::size_t num = UnitNumber(k);
        if (num < n_) Grow(k, num, 0.55);
        continue;
      }
      // A cue, then a street name and a house number: "is on Pod Floriánem 1677" (the
      // cue asked last, as the costliest test).
      if (Cap(k)) {
        std::size_t j = k;
        while (j + 1 < n_ && j - k < 4 &&
               (Cap(j + 1) || (Word(j + 1) && InList<kParticles>(t_.LowerKey(t_[j + 1])))) &&
               SameLine(j, j + 1)) {
          ++j;
        }
        if (IsShortNumber(t_, j + 1) && SameLine(j, j + 1) && AddressCueBefore(k)) {
          Grow(k, j + 1, 0.6);
        }
      }
      continue;
    }
    if (!IsShortNumber(t_, k)) continue;
    // A postcode after its cue ("zip code 29687"): four digits at least.
    if (t_[k].end - t_[k].start >= 4 && PrecededByAny<kZipCues>(t_, k)) {
      regions_.push_back({k, k, 0.7});
      continue;
    }
    // A cue, a house number, then a street name on the same line (the cue asked last,
    // as the costliest test).
    std::size_t j = k + 1;
    while (IsShortNumber(t_, j) && !t_[j].newline_before) ++j;
    if (Word(j) && !t_[j].newline_before &&
        (t_[j].capitalized || lower_mode_ || InList<kParticles>(t_.LowerKey(t_[j]))) &&
        AddressCueBefore(k)) {
      Grow(k, k, 0.6);
    }
  }
}

}  // namespace

void AddressDetector::Detect(const TokenizedText& t, std::vector<Finding>& out) const {
  if (t.size() == 0) return;
  // One buffer per thread, kept between texts: no allocation once warm.
  thread_local std::vector<Region> regions;
  regions.clear();
  Scanner(gazetteer_, t, regions).Run();
  if (regions.empty()) return;
  std::sort(regions.begin(), regions.end(),
            [](const Region& a, const Region& b) { return a.first < b.first; });
  // Overlapping or adjacent regions merge, in place: regions[0, merged) are the merged ones.
  std::size_t merged = 0;
  for (const Region& r : regions) {
    if (merged > 0 && r.first <= regions[merged - 1].last + 1) {
      Region& back = regions[merged - 1];
      back.last = std::max(back.last, r.last);
      back.confidence = std::min(0.88, std::max(back.confidence, r.confidence) + 0.05);
      continue;
    }
    regions[merged++] = r;
  }
  regions.resize(merged);
  for (const Region& r : regions) {
    std::size_t last = r.last;
    while (last > r.first && t[last].kind == TokenKind::kPunct && !t.IsPunct(last, ')') &&
           !(t.IsPunct(last, '.') && t[last - 1].kind == TokenKind::kWord &&
             t[last - 1].end - t[last - 1].start <= 4)) {
      --last;
    }
    Finding f;
    f.type = kStreetAddress;
    f.start = t[r.first].start;
    f.end = t[last].end;
    f.confidence = static_cast<float>(r.confidence);
    out.push_back(f);
  }
}

}  // namespace lanewise::inspect
