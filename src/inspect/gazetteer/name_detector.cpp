#include "inspect/gazetteer/name_detector.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>

#include "inspect/gazetteer/gazetteer_lookup.h"

namespace lanewise::inspect {
namespace {

constexpr std::string_view kParticles[] = {"van", "von", "de", "da", "di",  "del", "della",
                                           "der", "den", "la", "le", "du",  "dos", "das",
                                           "bin", "ibn", "al", "el", "ter", "ten", "zu"};

constexpr std::string_view kCoreTitles[] = {"mr",   "mrs",  "ms",   "mx", "dr",  "sir",  "herr",
                                            "frau", "mme",  "mlle", "sr", "sra", "srta", "sig",
                                            "dott", "prof", "rev",  "hr", "fr"};

// Phrases that introduce a person's name.
constexpr std::string_view kCues[] = {
    "my name is",  "name is", "named",    "named him", "named her",    "called",    "call me",
    "calls me",    "i'm",     "i am",     "this is",   "name",         "name :",    "dear",
    "hi",          "hello",   "hey",      "thanks",    "thank you",    "regards",   "sincerely",
    "cheers",      "signed",  "attn",     "attn :",    "son",          "daughter",  "wife",
    "husband",     "partner", "kid",      "child",     "brother",      "sister",    "mother",
    "father",      "mom",     "dad",      "friend",    "colleague",    "boss",      "manager",
    "patient",     "client",  "customer", "guardian",  "contact",      "ask",       "tell",
    "meet",        "to :",    "from :",   "cc :",      "author :",     "signed by", "written by",
    "directed by", "sung by", "said",     "says",      "asked",        "told",      "spoke with",
    "speak to",    "talk to", "reach",    "add",       "assistant to", "starring",  "producer",
};

// Capitalised words that are never names in running text.
constexpr std::string_view kNeverNames[] = {
    "i",        "the",      "a",         "an",      "this",     "that",     "these",     "those",
    "my",       "your",     "our",       "his",     "her",      "their",    "he",        "she",
    "we",       "they",     "you",       "it",      "monday",   "tuesday",  "wednesday", "thursday",
    "friday",   "saturday", "sunday",    "january", "february", "march",    "april",     "june",
    "july",     "august",   "september", "october", "november", "december", "christmas", "easter",
    "god",      "spanish",  "italian",   "chinese", "japanese", "please",   "thanks",    "hello",
    "dear",     "hi",       "yes",       "no",      "ok",       "okay",     "sir",       "madam",
    "internet", "email",    "phone",     "street",  "road",     "avenue",   "apt",       "suite",
    "unit",     "what",     "when",      "where",   "who",      "why",      "how",       "can",
    "could",    "would",    "should",    "is",      "are",      "was",      "do",        "does",
    "did",      "have",     "has",       "had",     "if",       "and",      "but",       "or",
    "so",       "not",      "there",     "here",    "maybe",    "name",     "date",      "phone",
    "fax",      "mobile",   "office",    "address", "note",     "user",     "assistant", "system",
    "answer",   "question", "subject",
};

// Words after a run that make it an organisation.
constexpr std::string_view kOrgSuffixes[] = {
    "inc",         "ltd",          "llc",        "gmbh",       "corp",     "co",
    "company",     "group",        "plc",        "ag",         "sa",       "srl",
    "bv",          "nv",           "university", "bank",       "hotel",    "foundation",
    "institute",   "association",  "partners",   "associates", "holdings", "limited",
    "corporation", "technologies", "solutions",  "systems",    "labs",     "airlines",
};

// Prepositions after which a place reading wins; the weak ones only against names
// that are not common given names ("said Felix to Linda").
constexpr std::string_view kStrongPlacePrepositions[] = {
    "in", "from", "near", "visit", "visited", "towards", "into", "across", "outside", "around"};
constexpr std::string_view kWeakPlacePrepositions[] = {"to", "at", "of", "via"};

// Surname endings common across European languages (-ová, -ski, -ić, -son, -dóttir...).
constexpr std::string_view kSurnameEndings[] = {
    "ová",   "ski",    "ska",   "sky",  "ský",  "ská",  "wicz",   "ić",   "vić",    "ović",
    "ov",    "ova",    "ev",    "eva",  "enko", "chuk", "son",    "sen",  "dóttir", "dottir",
    "sson",  "poulos", "escu",  "ian",  "yan",  "oğlu", "shvili", "dze",  "berg",   "ström",
    "qvist", "lund",   "gaard", "ez",   "ini",  "elli", "etti",   "ucci", "mann",   "stein",
    "ovich", "ovna",   "evich", "inen", "nen",  "aho"};

bool SurnameShaped(std::string_view lower) {
  if (lower.size() < 5) return false;
  for (std::string_view e : kSurnameEndings) {
    if (lower.size() > e.size() + 2 && lower.substr(lower.size() - e.size()) == e) return true;
  }
  return false;
}

// The words of a candidate run, at most four (Rules::Run stops there): a fixed array
// instead of a vector allocated for every text.
class RunWords {
 public:
  static constexpr std::size_t kMax = 4;
  void Reset(std::size_t first) {
    at_[0] = first;
    size_ = 1;
  }
  void push_back(std::size_t k) { at_[size_++] = k; }
  void pop_back() { --size_; }
  void pop_front() {
    std::copy(at_ + 1, at_ + size_, at_);
    --size_;
  }
  std::size_t size() const { return size_; }
  std::size_t operator[](std::size_t i) const { return at_[i]; }
  std::size_t front() const { return at_[0]; }
  std::size_t back() const { return at_[size_ - 1]; }

 private:
  std::size_t at_[kMax] = {};
  std::size_t size_ = 0;
};

class Rules {
 public:
  Rules(const Gazetteer& g, const TokenizedText& t)
      : g_(g), t_(t), n_(t.size()), lower_mode_(t.lowercase_text()) {}

  void Run(std::vector<Finding>& out);

 private:
  const LexiconEntry* Entry(std::size_t k) const { return LookupWord(g_, t_, k); }
  bool Word(std::size_t k) const { return k < n_ && t_[k].kind == TokenKind::kWord; }
  bool IsInitial(std::size_t k) const {
    return Word(k) && t_[k].capitalized && t_[k].end - t_[k].start == 1;
  }
  // A word that may be (part of) a name. Most words fail the shape test (in mixed-case
  // text a name word is capitalised); the others are memoised on the token, since the
  // run builder, the particle rule and the list rule ask for the same tokens again.
  bool NameLike(std::size_t k) const {
    if (!Word(k)) return false;
    if (!lower_mode_ && (!t_[k].capitalized || t_[k].all_upper)) return false;
    std::int8_t& memo = t_.memo(k).name_like;
    if (memo < 0) memo = ComputeNameLike(k) ? 1 : 0;
    return memo != 0;
  }
  bool ComputeNameLike(std::size_t k) const {
    if (!Word(k)) return false;
    if (!lower_mode_ && (!t_[k].capitalized || t_[k].all_upper)) return false;
    const HashedWord lower = t_.WordKey(t_[k]);
    // A title is not a name: "Mrs." before a name, "Dr" in "Dr Smith". A word that is
    // also a title somewhere ("Conde", "Prince") is the name right after a title, even
    // before a full stop: "Looks up Mrs. Conde."
    if ((InList<kCoreTitles>(lower) && !TitleWordAsSurname(k)) ||
        (t_.IsPunct(k + 1, '.') && HasFlag(Entry(k), kPersonTitle) && t_[k].end - t_[k].start > 1 &&
         !CoreTitle(k))) {
      return false;
    }
    // A never-name that is also a listed name ("June", "August", "May", "Will") is one
    // right after a title: "Mrs. June", "Mr. May".
    if (InList<kNeverNames>(lower) && !(HasFlag(Entry(k), kGivenName | kSurname) && CoreTitle(k))) {
      return false;
    }
    if (lower_mode_) {
      const LexiconEntry* e = Entry(k);
      if (!HasFlag(e, kGivenName | kSurname) || HasFlag(e, kAmbiguous) || IsCommonWord(lower)) {
        return false;
      }
      // A name that is also a street word somewhere ("abby", "bühl", "lange") is one next
      // to a plain name word ("abby nemeth", "dénes bühl"); a street word follows or leads
      // a street's name, rarely a person's.
      return !HasFlag(e, kStreetType) || PlainNameWord(k - 1) || PlainNameWord(k + 1);
    }
    return t_[k].capitalized && !t_[k].all_upper;
  }
  // A core title word that is a surname here ("Mrs. Herr", "Anna Herr"): right after a
  // title or a given name, neither abbreviated with a dot nor before a capitalised word
  // (in "Frau Dr. Weber" and "Herr Prof Weber" the second word is a title too).
  bool TitleWordAsSurname(std::size_t k) const {
    if (t_.IsPunct(k + 1, '.')) return false;
    // After a title, or after a listed given name on the line ("Anna Herr").
    const LexiconEntry* before = k > 0 ? Entry(k - 1) : nullptr;
    const bool after_given = before != nullptr && !t_[k].newline_before && t_[k - 1].capitalized &&
                             HasFlag(before, kGivenName) && !HasFlag(before, kAmbiguous);
    if (!after_given && !CoreTitle(k)) return false;
    const std::size_t next = k + 1;
    return !(Word(next) && !t_[next].newline_before && t_[next].capitalized);
  }
  bool Place(const LexiconEntry* e) const {
    return HasFlag(e, kCity) || HasFlag(e, kCountry) || HasFlag(e, kRegion);
  }
  bool Title(std::size_t first) const;
  double Score(const RunWords& words, std::size_t next) const;
  void Emit(std::size_t first, std::size_t last, double score, std::vector<Finding>& out) const;
  void Coordinate(std::vector<Finding>& out, std::size_t from) const;
  std::size_t NextMember(std::size_t j) const;
  // Names written in one case throughout inside mixed-case text ("MARIA GARCIA",
  // "maria garcia"): a listed given name and a listed surname, or a listed name after a
  // title. Ambiguous and common words never count.
  void OneCaseNames(std::vector<Finding>& out) const;
  bool OneCase(std::size_t k) const {
    return Word(k) && t_[k].end - t_[k].start >= 2 && (t_[k].all_upper || !t_[k].capitalized);
  }
  bool ListedName(std::size_t k, const LexiconEntry* e) const {
    const HashedWord lower = t_.WordKey(t_[k]);
    return HasFlag(e, kGivenName | kSurname) && !HasFlag(e, kAmbiguous) &&
           !HasFlag(e, kStreetType) && !IsCommonWord(lower) && !InList<kNeverNames>(lower) &&
           !InList<kCoreTitles>(lower);
  }
  bool AnyCaseTitle(std::size_t first) const;
  // Whether word k can be a title at all (titles are rare: the flag summary says).
  bool MaybeTitle(std::size_t k) const { return g_.PossibleFlags(t_[k].word_hash) & kPersonTitle; }
  bool CoreTitle(std::size_t first) const;
  // A listed given name or surname that is no other word, street words included.
  // `title_word_ok`: a core title word that is a listed name counts (as a surname after
  // a given name).
  bool LooseName(std::size_t k, const LexiconEntry* e, bool title_word_ok = false) const {
    if (!HasFlag(e, kGivenName | kSurname) || HasFlag(e, kAmbiguous)) return false;
    const HashedWord lower = t_.WordKey(t_[k]);
    return !IsCommonWord(lower) && !InList<kNeverNames>(lower) &&
           (title_word_ok || !InList<kCoreTitles>(lower));
  }
  // A listed name word on the same line that is no street word and no other word.
  bool PlainNameWord(std::size_t j, bool title_word_ok = false) const {
    if (j >= n_ || !Word(j)) return false;
    const LexiconEntry* e = Entry(j);
    return LooseName(j, e, title_word_ok) && !HasFlag(e, kStreetType);
  }

  const Gazetteer& g_;
  const TokenizedText& t_;
  std::size_t n_;
  bool lower_mode_;
};

// A title: capitalised, and abbreviated with a dot ("Dr.", "Sra."), a core title ("Mr",
// "Frau") or a full word ("Doctor", "Señor"). The title list also holds short words of
// other languages ("on", "me") that are no evidence without that shape.
bool Rules::Title(std::size_t first) const {
  if (first == 0 || t_[first].newline_before) return false;
  std::size_t b = first - 1;
  const bool dot = t_.IsPunct(b, '.') && b > 0;
  if (dot) --b;
  if (!Word(b) || !(t_[b].capitalized || lower_mode_)) return false;
  if (!HasFlag(Entry(b), kPersonTitle)) return false;
  const HashedWord w = t_.LowerKey(t_[b]);
  return dot || w.text.size() >= 4 || InList<kCoreTitles>(w);
}

// A title before `first` in any case ("DR.", "mrs."): with its dot, a core title or a
// full word.
bool Rules::AnyCaseTitle(std::size_t first) const {
  if (first == 0 || t_[first].newline_before) return false;
  std::size_t b = first - 1;
  const bool dot = t_.IsPunct(b, '.') && b > 0;
  if (dot) --b;
  if (!Word(b) || !MaybeTitle(b) || !HasFlag(Entry(b), kPersonTitle)) return false;
  const HashedWord w = t_.LowerKey(t_[b]);
  return dot || w.text.size() >= 4 || InList<kCoreTitles>(w);
}

// A title before `first` that is abbreviated with a dot or a core title ("Mrs.", "DR",
// "herr"): evidence enough for a word that is also a common noun ("Mrs. rose").
bool Rules::CoreTitle(std::size_t first) const {
  if (first == 0 || t_[first].newline_before) return false;
  std::size_t b = first - 1;
  const bool dot = t_.IsPunct(b, '.') && b > 0;
  if (dot) --b;
  if (!Word(b) || !MaybeTitle(b) || !HasFlag(Entry(b), kPersonTitle)) return false;
  return dot || InList<kCoreTitles>(t_.LowerKey(t_[b]));
}

void Rules::OneCaseNames(std::vector<Finding>& out) const {
  for (std::size_t k = 0; k < n_; ++k) {
    if (!OneCase(k)) continue;
    // Most words are no name: without a title or cue before it, only a plain given name
    // can start one (the pair rule below), and the filter says which words cannot.
    const bool titled = AnyCaseTitle(k);
    if (!titled && (lower_mode_ || !(t_[k].all_upper || g_.MayBePlainGivenName(t_[k].word_hash))) &&
        !g_.MayBeAmbiguousGivenName(t_[k].word_hash) && !PrecededByAny<kCues>(t_, k)) {
      continue;
    }
    const LexiconEntry* e = Entry(k);
    const std::size_t next = k + 1;
    // After a title or a cue ("DR. MONTE VARNEY", "my name is ronda shuler"): two listed
    // names, ambiguous ones too (the cue is the evidence), neither a common word.
    const auto cued_word = [&](std::size_t j) {
      return OneCase(j) && HasFlag(Entry(j), kGivenName | kSurname) &&
             !IsCommonWord(t_.WordKey(t_[j])) && !InList<kNeverNames>(t_.WordKey(t_[j]));
    };
    // The second word of a cued pair may be ambiguous only when the pair reads as a given
    // name and a surname ("dr. rincon said": "said" is a word here, not a name).
    const auto cued_second = [&](std::size_t j) {
      return cued_word(j) && (!HasFlag(Entry(j), kAmbiguous) ||
                              (HasFlag(e, kGivenName) && HasFlag(Entry(j), kSurname)));
    };
    if (cued_word(k) && cued_second(next) && !t_[next].newline_before &&
        t_[next].all_upper == t_[k].all_upper && (titled || PrecededByAny<kCues>(t_, k))) {
      Emit(k, next, 0.85, out);
      k = next;
      continue;
    }
    // One listed name after a title ("Mrs. rincon", "MRS. RINCON"): the title is the
    // evidence, so a surname that is also a street word or an ambiguous word counts.
    if (titled && cued_word(k) && (CoreTitle(k) || !HasFlag(e, kAmbiguous))) {
      Emit(k, k, 0.85, out);
      continue;
    }
    // A given name that is also a word ("christian", "rose", "will") before a listed
    // surname that is no other word, in the same case ("with christian gaona", "ROSE
    // KOVACS"): the surname is the evidence, in lower-case text too.
    if (HasFlag(e, kGivenName) && HasFlag(e, kAmbiguous) && !IsCommonWord(t_.WordKey(t_[k])) &&
        !InList<kNeverNames>(t_.WordKey(t_[k])) && OneCase(next) && !t_[next].newline_before &&
        t_[next].all_upper == t_[k].all_upper && PlainNameWord(next) &&
        HasFlag(Entry(next), kSurname)) {
      Emit(k, next, 0.8, out);
      k = next;
      continue;
    }
    // The rules below, in lower-case text, are the lower-case rules' already.
    if (lower_mode_) continue;
    // A given name and a surname, both listed, at most one of them also a street word in
    // some language ("CALE HELMER", "IONE LANGE"): a street word comes with a street's
    // name, rarely with a person's. In upper case, a given name that is also a word
    // ("CHRISTIAN HALPIN") before a plain surname.
    // The second word may be a title word that is also a surname ("ALBERTA HERR"): after a
    // given name it is no title.
    const LexiconEntry* e_next = next < n_ ? Entry(next) : nullptr;
    const bool upper_pair = t_[k].all_upper && HasFlag(e, kGivenName | kSurname) &&
                            !IsCommonWord(t_.WordKey(t_[k])) && PlainNameWord(next, true);
    const bool plain_pair = LooseName(k, e) && LooseName(next, e_next, true) &&
                            (!HasFlag(e, kStreetType) || !HasFlag(e_next, kStreetType));
    if (HasFlag(e, kGivenName) && OneCase(next) && !t_[next].newline_before &&
        (t_[next].all_upper == t_[k].all_upper) && HasFlag(e_next, kSurname) &&
        (plain_pair || upper_pair)) {
      Emit(k, next, 0.8, out);
      k = next;
    }
  }
}

double Rules::Score(const RunWords& words, std::size_t next) const {
  const std::size_t first = words.front();
  const std::size_t last = words.back();
  const LexiconEntry* e_first = Entry(first);
  const LexiconEntry* e_last = Entry(last);

  // Other detectors' territory: organisations, streets, places.
  if (Word(next) && !t_[next].newline_before) {
    const HashedWord after = t_.LowerKey(t_[next]);
    if (InList<kOrgSuffixes>(after)) return 0;
    if (t_[next].capitalized && after.text.size() >= 2 && HasFlag(Entry(next), kStreetType) &&
        !IsCommonWord(after)) {
      return 0;
    }
  }
  if (words.size() > 1 && HasFlag(e_last, kStreetType) && !IsCommonWord(t_.WordKey(t_[last])) &&
      !HasFlag(e_last, kSurname)) {
    return 0;
  }
  if (first > 0 && t_[first - 1].kind == TokenKind::kNumber && !t_[first].newline_before) return 0;
  const bool number_after = next < n_ && t_[next].kind == TokenKind::kNumber;
  if (number_after && HasGluedStreetSuffix(g_, t_, last)) return 0;

  const bool given_first = HasFlag(e_first, kGivenName);
  const bool common_given = given_first && e_first->given_count >= 1000;
  const LexiconEntry* whole = e_first;
  if (words.size() > 1) {
    std::size_t phrase_last = 0;
    whole = LookupPhrase(g_, t_, first, static_cast<int>(words.size()), &phrase_last);
  }
  if (Place(whole)) {
    if (!HasFlag(whole, kGivenName | kSurname)) return 0;
    if (PrecededByAny<kStrongPlacePrepositions>(t_, first)) return 0;
    if (!common_given && PrecededByAny<kWeakPlacePrepositions>(t_, first)) return 0;
  }

  if (Title(first)) return 0.9;
  const bool ambiguous_first = HasFlag(e_first, kAmbiguous);
  if ((e_first != nullptr || !lower_mode_) && PrecededByAny<kCues>(t_, first)) {
    return ambiguous_first && words.size() == 1 ? 0.6 : 0.85;
  }
  const Token& tok = t_[first];
  const bool mid_sentence = !tok.sentence_start && !lower_mode_;
  if (words.size() >= 2) {
    const std::string_view last_lower = LowerWord(t_, last);
    const bool last_name = HasFlag(e_last, kSurname) || HasFlag(e_last, kGivenName);
    const bool last_unknown = e_last == nullptr;
    if (given_first && !ambiguous_first && (last_name || last_unknown)) return 0.85;
    if (given_first && last_name) return 0.75;  // John Smith: both also words
    if (e_first == nullptr && HasFlag(e_last, kSurname) && !HasFlag(e_last, kAmbiguous)) {
      return mid_sentence ? 0.7 : 0.6;
    }
    if (HasFlag(e_first, kSurname) && last_name && !ambiguous_first &&
        !HasFlag(e_last, kAmbiguous)) {
      return 0.6;
    }
    if (e_first == nullptr && (last_unknown || last_name) && SurnameShaped(last_lower)) {
      return mid_sentence ? 0.6 : 0.5;
    }
    return 0;
  }
  // One word.
  const bool vocative = t_.IsPunct(next, ',') || t_.IsPunct(next, '!') || t_.IsPunct(next, '?');
  double score = 0;
  if (given_first && !ambiguous_first) {
    if (lower_mode_) {
      score = common_given ? 0.55 : 0;
    } else {
      score = mid_sentence || vocative ? 0.65 : 0.5;
      if (e_first->given_count >= 20000) score += 0.05;
    }
    if (Place(e_first) && !common_given) score -= 0.1;
  } else if (HasFlag(e_first, kSurname) && !ambiguous_first && mid_sentence) {
    score = Place(e_first) ? 0.45 : 0.55;
  } else if (e_first == nullptr && mid_sentence && SurnameShaped(LowerWord(t_, first))) {
    score = 0.5;
  }
  // A speaker label at the start of a line: "Alice: ..." in a transcript.
  if (tok.newline_before && t_.IsPunct(next, ':') && given_first) score = std::max(score, 0.7);
  return score;
}

void Rules::Emit(std::size_t first, std::size_t last, double score,
                 std::vector<Finding>& out) const {
  Finding f;
  f.type = kPerson;
  f.start = t_[first].start;
  // A possessive "'s" is not part of the name.
  const std::size_t possessive = t_.Lower(t_[last]).size() - LowerWord(t_, last).size();
  f.end = t_[last].end - static_cast<std::uint32_t>(possessive);
  f.confidence = static_cast<float>(std::min(score, 0.9));
  out.push_back(f);
}

// "Kónya, Becker and Vasquez": when one member of a list of single capitalised words is
// a person, the other members that could be names are too.
void Rules::Coordinate(std::vector<Finding>& out, std::size_t from) const {
  if (lower_mode_) return;
  std::size_t k = t_.NextCapitalised(0);
  while (k < n_) {
    // A list: W (, W)* (and|or|&) W, all single capitalised words on one line. Its
    // members are k, NextMember(k), ... (walked again below rather than stored).
    std::size_t members = 0;
    std::size_t last = k;
    std::size_t j = k;
    while (j < n_ && NameLike(j) && !IsInitial(j)) {
      ++members;
      last = j;
      const std::size_t next = NextMember(j);
      if (next == n_) break;
      j = next;
    }
    if (members < 2) {
      k = t_.NextCapitalised(std::max(k + 1, j));  // a list starts with a capital
      continue;
    }
    bool anchored = false;
    for (std::size_t m = k, i = 0; i < members; ++i, m = NextMember(m)) {
      for (std::size_t f = from; f < out.size(); ++f) {
        anchored = anchored || (out[f].start == t_[m].start && out[f].type == kPerson);
      }
      const LexiconEntry* e = Entry(m);
      anchored =
          anchored || (HasFlag(e, kGivenName) && !HasFlag(e, kAmbiguous) && e->given_count >= 1000);
    }
    if (anchored) {
      for (std::size_t m = k, i = 0; i < members; ++i, m = NextMember(m)) {
        const LexiconEntry* e = Entry(m);
        const bool could_be_name = e == nullptr || HasFlag(e, kGivenName | kSurname);
        const bool place_only = Place(e) && !HasFlag(e, kGivenName | kSurname);
        if (!could_be_name || place_only) continue;
        bool present = false;
        for (std::size_t f = from; f < out.size(); ++f) {
          present = present || (out[f].start == t_[m].start);
        }
        if (!present) Emit(m, m, 0.6, out);
      }
    }
    k = t_.NextCapitalised(last + 1);
  }
}

// The token after list member j and its separator (",", "and", "or", ", and"), or n_
// when no separator follows on the line.
std::size_t Rules::NextMember(std::size_t j) const {
  std::size_t sep = j + 1;
  if (t_.IsPunct(sep, ',') && !t_[sep].newline_before) ++sep;
  if (Word(sep) && (t_.Lower(t_[sep]) == "and" || t_.Lower(t_[sep]) == "or")) ++sep;
  if (sep == j + 1 || sep >= n_ || t_[sep].newline_before) return n_;
  return sep;
}

void Rules::Run(std::vector<Finding>& out) {
  const std::size_t from = out.size();
  std::size_t i = 0;
  RunWords words;
  while (i < n_) {
    if (!NameLike(i)) {
      // In mixed-case text a name starts with a capital: skip to the next one.
      i = lower_mode_ ? i + 1 : t_.NextCapitalised(i + 1);
      continue;
    }
    // The run: name-like words, initials ("V."), particles between them; one line.
    words.Reset(i);
    std::size_t k = i + 1;
    while (k < n_ && words.size() < RunWords::kMax && !t_[k].newline_before) {
      if (t_.IsPunct(k, '.') && IsInitial(words.back())) {
        ++k;
        continue;
      }
      if (Word(k) && !t_[k].capitalized && !lower_mode_ && InList<kParticles>(t_.LowerKey(t_[k])) &&
          NameLike(k + 1)) {
        ++k;
        continue;
      }
      if (!NameLike(k) && !IsInitial(k)) break;
      words.push_back(k);
      ++k;
    }
    const std::size_t next = k;
    i = next;
    // Drop leading words that are not names before a given name ("Producer Thomas
    // Speer"), and a trailing initial.
    while (words.size() > 1 && !HasFlag(Entry(words[0]), kGivenName | kSurname) &&
           HasFlag(Entry(words[1]), kGivenName)) {
      words.pop_front();
    }
    while (words.size() > 1 && IsInitial(words.back())) words.pop_back();
    const double score = Score(words, next);
    if (score >= 0.5) Emit(words.front(), words.back(), score, out);
  }
  Coordinate(out, from);
  OneCaseNames(out);
}

}  // namespace

void NameDetector::Detect(const TokenizedText& text, std::vector<Finding>& out) const {
  Rules(gazetteer_, text).Run(out);
}

}  // namespace lanewise::inspect
