// Helpers to look tokens and token n-grams up in the gazetteer.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inspect/gazetteer/gazetteer.h"
#include "inspect/text/tokenizer.h"

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
// (A single word, the common case, is answered inline.)
const LexiconEntry* LookupPhraseOfWords(const Gazetteer& g, const TokenizedText& t, std::size_t i,
                                        int words, std::size_t* last);
inline const LexiconEntry* LookupPhrase(const Gazetteer& g, const TokenizedText& t, std::size_t i,
                                        int words, std::size_t* last) {
  if (words != 1) return LookupPhraseOfWords(g, t, i, words, last);
  if (i >= t.size() || t[i].kind != TokenKind::kWord) return nullptr;
  if (last != nullptr) *last = i;
  return LookupWord(g, t, i);
}

// True when word token i ends with a glued street suffix ("Grolmanstraße").
// (Short words, most of them, are answered inline.)
bool LookupGluedStreetSuffix(const Gazetteer& g, const TokenizedText& t, std::size_t i);
inline bool HasGluedStreetSuffix(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  return i < t.size() && t[i].kind == TokenKind::kWord &&
         t.LowerWord(t[i]).size() >= Gazetteer::kMinGluedWordBytes &&
         LookupGluedStreetSuffix(g, t, i);
}

// Longest phrase (words) that may start at word token i: 1 unless it heads a phrase.
inline int PhraseWordsAt(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  if (i >= t.size() || t[i].kind != TokenKind::kWord) return 1;
  const LexiconEntry* e = RawEntry(g, t, i);
  return e != nullptr && (e->flags & kPhraseHead) ? e->phrase_words : 1;
}

// The lower-case form of word token i without a possessive "'s".
inline std::string_view LowerWord(const TokenizedText& t, std::size_t i) {
  return t.LowerWord(t[i]);
}

// True when the words before token i (lower-case, ignoring punctuation tokens) end with
// `phrase` (space-separated lower-case words), on the same line.
bool PrecededBy(const TokenizedText& t, std::size_t i, std::string_view phrase);

inline bool HasFlag(const LexiconEntry* e, std::uint16_t flag) {
  return e != nullptr && (e->flags & flag);
}

// English function words and everyday words that also appear in the street-type lists
// (libpostal abbreviations of other languages, USPS suffixes such as "By", "Key",
// "Run"). Such a word is no evidence of a street on its own.
bool IsCommonWord(HashedWord lower);
inline bool IsCommonWord(std::string_view lower) {
  return IsCommonWord({lower, HashKey(lower)});
}

// A summary of a word list, built at compile time for the constant lists: one bit per
// word, chosen by its HashKey. A clear bit proves a word is not in the list, with one
// test and no static-init guard (most words asked about are in none of the lists).
class WordFilter {
 public:
  constexpr WordFilter() = default;
  template <std::size_t N>
  constexpr explicit WordFilter(const std::string_view (&words)[N]) {
    for (std::string_view w : words) Add(HashKey(w));
  }
  constexpr void Add(std::uint64_t hash) {
    const std::size_t bit = BitOf(hash);
    bits_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  constexpr bool MayContain(std::uint64_t hash) const {
    const std::size_t bit = BitOf(hash);
    return (bits_[bit / 64] >> (bit % 64)) & 1;
  }

 private:
  static constexpr std::size_t kBits = 1024;
  static constexpr std::size_t BitOf(std::uint64_t hash) { return (hash >> 40) % kBits; }
  std::uint64_t bits_[kBits / 64] = {};
};

// A fixed set of lower-case words; each may carry a value (see PhraseSet).
class WordSet {
 public:
  WordSet() = default;
  explicit WordSet(std::span<const std::string_view> words);
  bool contains(HashedWord word) const { return Find(word) != nullptr; }
  bool contains(std::string_view word) const { return contains({word, HashKey(word)}); }

 private:
  friend class PhraseSet;
  struct Slot {
    std::string_view word;  // empty: free slot
    std::uint64_t hash = 0;
    std::uint32_t value = 0;
  };
  void Insert(std::string_view word, std::uint32_t value);
  // The slot of `word`, or nullptr. Open addressing, power-of-two size: the hash is
  // known, so a miss usually costs one slot read and a hit one short compare.
  const Slot* Find(HashedWord word) const {
    if (word.text.empty() || slots_.empty()) return nullptr;
    for (std::size_t i = word.hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.word.empty()) return nullptr;
      if (slot.hash == word.hash && slot.word == word.text) return &slot;
    }
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

// A fixed set of cue phrases ("my name is", "name :") as a trie of their words read
// backwards, so that asking whether any of them precedes a token walks back over the
// tokens once: one lookup of the word before it (most words end no phrase), then a few
// hash compares per word. Same answer as PrecededBy for each phrase.
class PhraseSet {
 public:
  explicit PhraseSet(std::span<const std::string_view> phrases);
  // Inline: most tokens follow a word that ends no phrase, which one bit test tells.
  bool Precedes(const TokenizedText& t, std::size_t i) const {
    if (i == 0 || i >= t.size() || t[i].newline_before) return false;
    const Token& before = t[i - 1];
    if (before.kind == TokenKind::kWord && !last_word_filter_.MayContain(before.lower_hash)) {
      return false;
    }
    return before.kind != TokenKind::kNumber && PrecedesAfterWordOrPunct(t, i);
  }

 private:
  bool PrecedesAfterWordOrPunct(const TokenizedText& t, std::size_t i) const;
  struct Node {
    std::uint32_t first_edge = 0;  // the edges to the children: edges_[first, first + count)
    std::uint32_t edge_count = 0;
    bool terminal = false;  // a whole phrase ends here
  };
  struct Edge {
    HashedWord word;
    std::uint32_t node = 0;
    char punct = 0;  // ':' or ',' for the words ":" and ",", which match punctuation tokens
  };
  bool Walk(const TokenizedText& t, std::uint32_t node, std::size_t i) const;

  std::vector<Node> nodes_;  // nodes_[0]: the root (the token itself)
  std::vector<Edge> edges_;
  WordSet last_words_;            // the root's word children: last word -> node
  WordFilter last_word_filter_;   // their words: most words are ruled out by one bit test
  std::int32_t root_colon_ = -1;  // the root's ":" and "," children, if any
  std::int32_t root_comma_ = -1;
};

// Membership in a constant word list, with the set built once per list.
template <const auto& kList>
const WordSet& ListSet() {
  static const WordSet set(kList);
  return set;
}
template <const auto& kList>
bool InList(std::string_view word) {
  return ListSet<kList>().contains(word);
}
template <const auto& kList>
[[gnu::noinline]] bool InListSet(HashedWord word) {
  return ListSet<kList>().contains(word);
}
// The filter test is inlined at the call; the set, asked for the few words that pass it,
// is not (it would make every caller heavier).
template <const auto& kList>
bool InList(HashedWord word) {
  static constexpr WordFilter kFilter(kList);
  return kFilter.MayContain(word.hash) && InListSet<kList>(word);
}

// Whether a phrase of a constant list ends right before token i.
// (Inlined: it is asked for most words, and most words end no phrase.)
template <const auto& kList>
[[gnu::always_inline]] inline bool PrecededByAny(const TokenizedText& t, std::size_t i) {
  static const PhraseSet set(kList);
  return set.Precedes(t, i);
}

}  // namespace lanewise::inspect
