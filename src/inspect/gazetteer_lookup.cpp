#include "inspect/gazetteer_lookup.h"

#include <algorithm>

namespace lanewise::inspect {

std::string_view LowerWord(const TokenizedText& t, std::size_t i) {
  std::string_view lower = t.Lower(t[i]);
  if (lower.size() > 3 && lower.substr(lower.size() - 2) == "'s") {
    lower.remove_suffix(2);
  } else if (lower.size() > 5 && lower.substr(lower.size() - 4) == "\xE2\x80\x99s") {
    lower.remove_suffix(4);
  }
  return lower;
}

const LexiconEntry* LookupRawEntry(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  TokenizedText::Memo& memo = t.memo(i);
  memo.entry = g.Find(LowerWord(t, i));
  memo.state |= TokenizedText::kEntryKnown;
  return memo.entry;
}

bool HasGluedStreetSuffix(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  if (i >= t.size() || t[i].kind != TokenKind::kWord) return false;
  TokenizedText::Memo& memo = t.memo(i);
  if (!(memo.state & TokenizedText::kGluedKnown)) {
    memo.state |= TokenizedText::kGluedKnown;
    if (!g.GluedStreetSuffix(LowerWord(t, i)).empty()) memo.state |= TokenizedText::kGlued;
  }
  return memo.state & TokenizedText::kGlued;
}

const LexiconEntry* LookupPhrase(const Gazetteer& g, const TokenizedText& t, std::size_t i,
                                 int words, std::size_t* last) {
  if (i >= t.size() || t[i].kind != TokenKind::kWord) return nullptr;
  if (words == 1) {
    if (last != nullptr) *last = i;
    return LookupWord(g, t, i);
  }
  const LexiconEntry* head = RawEntry(g, t, i);
  if (head == nullptr || !(head->flags & kPhraseHead) || head->phrase_words < words) {
    return nullptr;
  }
  thread_local std::string key;
  key.clear();
  int taken = 0;
  std::size_t k = i;
  for (; k < t.size() && taken < words; ++k) {
    const Token& tok = t[k];
    if (k > i && tok.newline_before) return nullptr;
    if (tok.kind == TokenKind::kPunct) {
      if (k == i) return nullptr;
      continue;
    }
    if (!key.empty()) key.push_back(' ');
    key.append(tok.kind == TokenKind::kWord ? (taken + 1 == words ? LowerWord(t, k) : t.Lower(tok))
                                            : t.Surface(tok));
    ++taken;
    if (taken == words) break;
  }
  if (taken != words) return nullptr;
  if (last != nullptr) *last = k;
  return g.Find(key);
}

namespace {

// Moves k to the previous token on the same line.
bool Step(const TokenizedText& t, std::size_t& k) {
  if (k == 0 || t[k].newline_before) return false;
  --k;
  return true;
}

}  // namespace

bool PrecededBy(const TokenizedText& t, std::size_t i, std::string_view phrase) {
  std::size_t k = i;
  std::size_t end = phrase.size();
  while (end > 0) {
    const std::size_t space = phrase.rfind(' ', end - 1);
    const std::size_t begin = space == std::string_view::npos ? 0 : space + 1;
    const std::string_view word = phrase.substr(begin, end - begin);
    if (word == ":" || word == ",") {  // punctuation in a phrase matches itself
      if (!Step(t, k) || !t.IsPunct(k, word[0])) return false;
    } else {
      if (!Step(t, k)) return false;
      while (t[k].kind == TokenKind::kPunct) {
        if (!Step(t, k)) return false;
      }
      if (t[k].kind != TokenKind::kWord || t.Lower(t[k]) != word) return false;
    }
    end = space == std::string_view::npos ? 0 : space;
  }
  return true;
}

bool IsCommonWord(std::string_view lower) {
  static constexpr std::string_view kWords[] = {
      "a",    "an",    "and",   "as",  "at",  "be",  "but", "by",  "can",  "do",   "em",    "en",
      "end",  "for",   "go",    "he",  "i",   "if",  "in",  "is",  "it",   "me",   "my",    "no",
      "of",   "on",    "or",    "out", "so",  "to",  "top", "up",  "us",   "we",   "all",   "art",
      "key",  "run",   "row",   "way", "bay", "dip", "gap", "hub", "ext",  "per",  "res",   "sec",
      "sup",  "var",   "ver",   "via", "con", "pro", "pre", "cat", "car",  "met",  "ham",   "get",
      "put",  "rot",   "int",   "imp", "loc", "min", "tv",  "sh",  "pc",   "pm",   "cm",    "dt",
      "ft",   "st",    "ca",    "ch",  "co",  "fly", "lot", "van", "club", "park", "place", "view",
      "hill", "green", "point", "the", "has", "was", "are", "not", "you",  "one",  "two",   "new",
      "old",  "big",   "bad",   "man"};
  return InList<kWords>(lower);
}

namespace {

std::size_t Fnv(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return static_cast<std::size_t>(h ^ (h >> 29));
}

}  // namespace

WordSet::WordSet(std::span<const std::string_view> words) {
  std::size_t size = 16;
  while (size < words.size() * 4) size *= 2;
  slots_.assign(size, std::string_view());
  mask_ = size - 1;
  for (std::string_view w : words) {
    std::size_t i = Fnv(w) & mask_;
    while (!slots_[i].empty() && slots_[i] != w) i = (i + 1) & mask_;
    slots_[i] = w;
  }
}

bool WordSet::contains(std::string_view word) const {
  if (word.empty() || slots_.empty()) return false;
  for (std::size_t i = Fnv(word) & mask_;; i = (i + 1) & mask_) {
    if (slots_[i].empty()) return false;
    if (slots_[i] == word) return true;
  }
}

int PhraseWordsAt(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  if (i >= t.size() || t[i].kind != TokenKind::kWord) return 1;
  const LexiconEntry* e = RawEntry(g, t, i);
  return e != nullptr && (e->flags & kPhraseHead) ? e->phrase_words : 1;
}

PhraseSet::PhraseSet(std::span<const std::string_view> phrases) {
  for (std::string_view p : phrases) {
    const std::size_t space = p.rfind(' ');
    by_last_.emplace_back(space == std::string_view::npos ? p : p.substr(space + 1), p);
  }
  std::sort(by_last_.begin(), by_last_.end());
  for (const auto& [last, phrase] : by_last_) {
    if (last_words_.empty() || last_words_.back() != last) last_words_.push_back(last);
  }
  last_set_ = WordSet(last_words_);
}

bool PhraseSet::Check(const TokenizedText& t, std::size_t i, std::string_view last) const {
  if (!last_set_.contains(last)) return false;
  auto it =
      std::lower_bound(by_last_.begin(), by_last_.end(), std::make_pair(last, std::string_view()));
  for (; it != by_last_.end() && it->first == last; ++it) {
    if (PrecededBy(t, i, it->second)) return true;
  }
  return false;
}

bool PhraseSet::Precedes(const TokenizedText& t, std::size_t i) const {
  if (i == 0 || i >= t.size() || t[i].newline_before) return false;
  std::size_t k = i - 1;
  if (t.IsPunct(k, ':') && Check(t, i, ":")) return true;
  if (t.IsPunct(k, ',') && Check(t, i, ",")) return true;
  while (t[k].kind == TokenKind::kPunct) {
    if (k == 0 || t[k].newline_before) return false;
    --k;
  }
  if (t[k].kind != TokenKind::kWord) return false;
  return Check(t, i, t.Lower(t[k]));
}

}  // namespace lanewise::inspect
