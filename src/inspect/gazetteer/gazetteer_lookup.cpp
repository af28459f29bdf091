#include "inspect/gazetteer/gazetteer_lookup.h"

#include <algorithm>

namespace lanewise::inspect {

const LexiconEntry* LookupRawEntry(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  TokenizedText::Memo& memo = t.memo(i);
  const Token& tok = t[i];
  memo.entry = g.Find(t.LowerWord(tok), tok.word_hash);
  memo.state |= TokenizedText::kEntryKnown;
  return memo.entry;
}

bool LookupGluedStreetSuffix(const Gazetteer& g, const TokenizedText& t, std::size_t i) {
  TokenizedText::Memo& memo = t.memo(i);
  if (!(memo.state & TokenizedText::kGluedKnown)) {
    memo.state |= TokenizedText::kGluedKnown;
    if (!g.GluedStreetSuffix(LowerWord(t, i)).empty()) memo.state |= TokenizedText::kGlued;
  }
  return memo.state & TokenizedText::kGlued;
}

namespace {

// The keys of the phrases of 1..n words starting at one word token. The callers try the
// longest phrase first, then shorter ones, and every key is a prefix of the longest (a
// last word only drops its possessive, which ends it): built once per head.
struct PhrasePrefixes {
  static constexpr int kMaxWords = 6;  // no phrase head promises more (Gazetteer::Upsert)
  std::uint64_t text_id = 0;           // TokenizedText::id() of the text
  std::size_t head = 0;
  int asked = 0;    // the length they were built for
  int built = 0;    // lengths 1..built exist in the text
  std::string key;  // the words' lower-case forms (numbers as they are), single spaces
  std::size_t end[kMaxWords + 1] = {};     // end of the key of w words in `key`
  std::uint64_t hash[kMaxWords + 1] = {};  // its HashKey
  std::size_t last[kMaxWords + 1] = {};    // its last token

  // As the keys LookupPhrase built word by word: punctuation skipped, a line break ends.
  void Build(const TokenizedText& t, std::size_t i, int words) {
    text_id = t.id();
    head = i;
    asked = words;
    built = 0;
    key.clear();
    for (std::size_t k = i; k < t.size() && built < words && built < kMaxWords; ++k) {
      const Token& tok = t[k];
      if (k > i && tok.newline_before) break;
      if (tok.kind == TokenKind::kPunct) continue;
      if (!key.empty()) key.push_back(' ');
      const std::size_t start = key.size();
      key.append(tok.kind == TokenKind::kWord ? t.Lower(tok) : t.Surface(tok));
      ++built;
      end[built] = tok.kind == TokenKind::kWord ? start + t.LowerWord(tok).size() : key.size();
      last[built] = k;
    }
    for (int w = 1; w <= built; ++w) hash[w] = HashKey(std::string_view(key).substr(0, end[w]));
  }
};

}  // namespace

const LexiconEntry* LookupPhraseOfWords(const Gazetteer& g, const TokenizedText& t, std::size_t i,
                                        int words, std::size_t* last) {
  if (i >= t.size() || t[i].kind != TokenKind::kWord) return nullptr;
  const LexiconEntry* head = RawEntry(g, t, i);
  if (head == nullptr || !(head->flags & kPhraseHead) || head->phrase_words < words) {
    return nullptr;
  }
  // The second word (punctuation skipped, on the same line): most pairs of words start
  // no phrase, which the gazetteer tells before a key is built. The pair's hashes are
  // those of the key's first two words (see PhrasePrefixes): the head's lower-case form,
  // then the second word's (without its possessive when it ends the key) or the number.
  std::size_t second = i + 1;
  while (second < t.size() && !t[second].newline_before && t[second].kind == TokenKind::kPunct) {
    ++second;
  }
  if (second >= t.size() || t[second].newline_before) return nullptr;
  const Token& next = t[second];
  const std::uint64_t second_hash = next.kind != TokenKind::kWord ? HashKey(t.Surface(next))
                                    : words == 2                  ? next.word_hash
                                                                  : next.lower_hash;
  if (!g.MayStartPhrase(t[i].lower_hash, second_hash)) return nullptr;
  thread_local PhrasePrefixes prefixes;
  if (prefixes.text_id != t.id() || prefixes.head != i || words > prefixes.asked) {
    prefixes.Build(t, i, words);
  }
  if (words > prefixes.built) return nullptr;
  if (last != nullptr) *last = prefixes.last[words];
  return g.Find(std::string_view(prefixes.key).substr(0, prefixes.end[words]),
                prefixes.hash[words]);
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

bool IsCommonWord(HashedWord lower) {
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

WordSet::WordSet(std::span<const std::string_view> words) {
  std::size_t size = 16;
  while (size < words.size() * 4) size *= 2;
  slots_.assign(size, Slot{});
  mask_ = size - 1;
  for (std::string_view w : words) Insert(w, 0);
}

void WordSet::Insert(std::string_view word, std::uint32_t value) {
  const std::uint64_t hash = HashKey(word);
  std::size_t i = hash & mask_;
  while (!slots_[i].word.empty() && slots_[i].word != word) i = (i + 1) & mask_;
  slots_[i] = {word, hash, value};
}

PhraseSet::PhraseSet(std::span<const std::string_view> phrases) {
  // Build with child lists, then lay each node's edges out contiguously.
  std::vector<std::vector<std::pair<std::string_view, std::uint32_t>>> children(1);
  std::vector<bool> terminal(1, false);
  for (std::string_view phrase : phrases) {
    std::uint32_t node = 0;
    std::size_t end = phrase.size();
    while (end > 0) {
      const std::size_t space = phrase.rfind(' ', end - 1);
      const std::size_t begin = space == std::string_view::npos ? 0 : space + 1;
      const std::string_view word = phrase.substr(begin, end - begin);
      auto& kids = children[node];
      auto it =
          std::find_if(kids.begin(), kids.end(), [&](const auto& c) { return c.first == word; });
      if (it == kids.end()) {
        const auto child = static_cast<std::uint32_t>(children.size());
        kids.emplace_back(word, child);
        children.emplace_back();
        terminal.push_back(false);
        node = child;
      } else {
        node = it->second;
      }
      end = space == std::string_view::npos ? 0 : space;
    }
    terminal[node] = true;
  }
  nodes_.resize(children.size());
  for (std::size_t n = 0; n < children.size(); ++n) {
    nodes_[n].first_edge = static_cast<std::uint32_t>(edges_.size());
    nodes_[n].edge_count = static_cast<std::uint32_t>(children[n].size());
    nodes_[n].terminal = terminal[n];
    auto& kids = children[n];
    std::stable_partition(kids.begin(), kids.end(),
                          [](const auto& c) { return c.first == ":" || c.first == ","; });
    for (const auto& [word, child] : kids) {
      const char punct = word == ":" || word == "," ? word[0] : 0;
      edges_.push_back({{word, HashKey(word)}, child, punct});
    }
  }
  std::size_t size = 16;
  while (size < children[0].size() * 4) size *= 2;
  last_words_.slots_.assign(size, WordSet::Slot{});
  last_words_.mask_ = size - 1;
  for (std::uint32_t e = 0; e < nodes_[0].edge_count; ++e) {
    const Edge& edge = edges_[nodes_[0].first_edge + e];
    if (edge.punct == ':') {
      root_colon_ = static_cast<std::int32_t>(edge.node);
    } else if (edge.punct == ',') {
      root_comma_ = static_cast<std::int32_t>(edge.node);
    } else {
      last_words_.Insert(edge.word.text, edge.node);
      last_word_filter_.Add(edge.word.hash);
    }
  }
}

namespace {

// The previous word before token i on its line (punctuation skipped), as PrecededBy
// steps to it; false when there is none.
bool PreviousWord(const TokenizedText& t, std::size_t i, std::size_t* at) {
  std::size_t k = i;
  do {
    if (k == 0 || t[k].newline_before) return false;
    --k;
  } while (t[k].kind == TokenKind::kPunct);
  *at = k;
  return t[k].kind == TokenKind::kWord;
}

}  // namespace

// Whether, from token i back, the tokens spell the words on a path from `node` to a
// terminal node. The steps are those of PrecededBy: a ":" or "," edge matches the token
// right before, a word edge the previous word (punctuation skipped), on the same line.
// A node's punctuation edges come first; its word edges are distinct words, so at most
// one of them matches.
bool PhraseSet::Walk(const TokenizedText& t, std::uint32_t node, std::size_t i) const {
  const Node& n = nodes_[node];
  if (n.terminal) return true;
  std::uint32_t e = n.first_edge;
  const std::uint32_t end = n.first_edge + n.edge_count;
  for (; e < end && edges_[e].punct != 0; ++e) {
    std::size_t k = i;
    if (Step(t, k) && t.IsPunct(k, edges_[e].punct) && Walk(t, edges_[e].node, k)) return true;
  }
  if (e == end) return false;
  std::size_t k = 0;
  if (!PreviousWord(t, i, &k)) return false;
  const std::uint64_t hash = t[k].lower_hash;
  for (; e < end; ++e) {
    if (edges_[e].word.hash == hash && t.Lower(t[k]) == edges_[e].word.text) {
      return Walk(t, edges_[e].node, k);
    }
  }
  return false;
}

// Precedes for a token i > 0 on the line of the word or punctuation before it.
bool PhraseSet::PrecedesAfterWordOrPunct(const TokenizedText& t, std::size_t i) const {
  // At the root, the words are looked up instead of tried one by one.
  const Token& before = t[i - 1];
  if (before.kind == TokenKind::kPunct) {
    const char c = t.text()[before.start];
    if (c == ':' && root_colon_ >= 0 && Walk(t, root_colon_, i - 1)) return true;
    if (c == ',' && root_comma_ >= 0 && Walk(t, root_comma_, i - 1)) return true;
  }
  std::size_t word_at = 0;
  if (!PreviousWord(t, i, &word_at)) return false;
  if (!last_word_filter_.MayContain(t[word_at].lower_hash)) return false;
  const WordSet::Slot* last = last_words_.Find(t.LowerKey(t[word_at]));
  return last != nullptr && Walk(t, last->value, word_at);
}

}  // namespace lanewise::inspect
