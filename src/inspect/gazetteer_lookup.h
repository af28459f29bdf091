// Helpers to look tokens and token n-grams up in the gazetteer.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inspect/gazetteer.h"
#include "inspect/tokenizer.h"

namespace lanewise::inspect {

// The raw entry of word token i, phrase heads included, looked up once and memoised on
// the token (the inline part is the memo check; the lookup itself is out of line).
const LexiconEntry* LookupRawEntry(const Gazetteer& g, const TokenizedText& t, std::size_t i);
inline const LexiconEntry* RawEntry(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  const TokenizedText::Memo& memo = t.memo(i);
  return (memo.state & TokenizedText::kEntryKnown) ? memo.entry : LookupRawEntry(g, t, i);
}

// The entry of word token i (possessive "'s" stripped), or nullptr.
inline const LexiconEntry* LookupWord(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  if (i >= t.size() || t[i].kind != TokenKind::kWord) return nullptr;
  const LexiconEntry* e = RawEntry(g, t, i);
  return e != nullptr && (e->flags & kKnownWordFlags) ? e : nullptr;
}

// The entry of the phrase made of `words` word tokens starting at i (punctuation tokens
// in between are skipped, a newline ends the phrase), or nullptr. `last` receives the
// index of the phrase's last token.
const LexiconEntry* LookupPhrase(const Gazetteer& g, const TokenizedText& t, std::size_t i,
                                 int words, std::size_t* last);

// True when word token i ends with a glued street suffix ("Grolmanstraße").
bool HasGluedStreetSuffix(const Gazetteer& g, const TokenizedText& t, std::size_t i);

// Longest phrase (words) that may start at word token i: 1 unless it heads a phrase.
int PhraseWordsAt(const Gazetteer& g, const TokenizedText& t, std::size_t i);

// The lower-case form of word token i without a possessive "'s".
std::string_view LowerWord(const TokenizedText& t, std::size_t i);

// True when the words before token i (lower-case, ignoring punctuation tokens) end with
// `phrase` (space-separated lower-case words), on the same line.
bool PrecededBy(const TokenizedText& t, std::size_t i, std::string_view phrase);

inline bool HasFlag(const LexiconEntry* e, std::uint16_t flag) {
  return e != nullptr && (e->flags & flag);
}

// English function words and everyday words that also appear in the street-type lists
// (libpostal abbreviations of other languages, USPS suffixes such as "By", "Key",
// "Run"). Such a word is no evidence of a street on its own.
bool IsCommonWord(std::string_view lower);

// A fixed set of lower-case words.
class WordSet {
 public:
  WordSet() = default;
  explicit WordSet(std::span<const std::string_view> words);
  bool contains(std::string_view word) const;

 private:
  // Open addressing, power-of-two size, FNV-1a: one hash and usually one compare.
  std::vector<std::string_view> slots_;
  std::size_t mask_ = 0;
};

// A fixed set of cue phrases ("my name is", "name :"), indexed by their last word so
// that asking whether any of them precedes a token costs one binary search.
class PhraseSet {
 public:
  explicit PhraseSet(std::span<const std::string_view> phrases);
  bool Precedes(const TokenizedText& t, std::size_t i) const;

 private:
  bool Check(const TokenizedText& t, std::size_t i, std::string_view last) const;
  std::vector<std::pair<std::string_view, std::string_view>> by_last_;  // (last word, phrase)
  std::vector<std::string_view> last_words_;  // distinct last words, for last_set_
  WordSet last_set_;                          // most words end no phrase: one hash to say so
};

// Membership in a constant word list, with the sorted set built once per list.
template <const auto& kList>
bool InList(std::string_view word) {
  static const WordSet set(kList);
  return set.contains(word);
}

// Whether a phrase of a constant list ends right before token i.
template <const auto& kList>
bool PrecededByAny(const TokenizedText& t, std::size_t i) {
  static const PhraseSet set(kList);
  return set.Precedes(t, i);
}

}  // namespace lanewise::inspect
