// Tokenizer: words, numbers and punctuation of a normalised text, with the shape
// features the gazetteer rules need (capitalisation, line breaks, sentence starts) and
// each word's lower-case form for lookups.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lanewise::inspect {

struct LexiconEntry;

// The hash of every word table of the gazetteer layer (the gazetteer, the word and
// phrase sets) over a lower-case key, read eight bytes at a time (little-endian, the
// last chunk zero-padded). The tokenizer computes it once per word, from the eight-byte
// chunks it lowered, so lookups never hash a word again.
namespace key_hash {
constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t Start(std::size_t size) {
  return 0x6A09E667F3BCC909ULL ^ (static_cast<std::uint64_t>(size) * kMultiplier);
}
constexpr std::uint64_t Mix(std::uint64_t h, std::uint64_t chunk) {
  h = (h ^ chunk) * kMultiplier;
  return h ^ (h >> 32);
}
constexpr std::uint64_t Finish(std::uint64_t h) {
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 32);
}
// Bytes key[at, at + n) (n <= 8) as a little-endian number.
constexpr std::uint64_t Chunk(std::string_view key, std::size_t at, std::size_t n) {
  std::uint64_t chunk = 0;
  for (std::size_t j = 0; j < n; ++j) {
    chunk |= static_cast<std::uint64_t>(static_cast<unsigned char>(key[at + j])) << (8 * j);
  }
  return chunk;
}
}  // namespace key_hash

constexpr std::uint64_t HashKey(std::string_view key) {
  std::uint64_t h = key_hash::Start(key.size());
  std::size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) h = key_hash::Mix(h, key_hash::Chunk(key, i, 8));
  if (i < key.size()) h = key_hash::Mix(h, key_hash::Chunk(key, i, key.size() - i));
  return key_hash::Finish(h);
}

// A lower-case word with its HashKey, as the word tables look it up.
struct HashedWord {
  std::string_view text;
  std::uint64_t hash = 0;
};

enum class TokenKind : std::uint8_t { kWord, kNumber, kPunct };

// Per-token memo for the gazetteer layer (see gazetteer_lookup.h): each word is looked up
// at most once per scan whatever the number of rules that ask. Kept in the token (set up
// with it, no second array) and mutable: the rules see the text as const.
struct TokenMemo {
  const LexiconEntry* entry = nullptr;
  std::uint8_t state = 0;      // TokenizedText::kEntryKnown | kGluedKnown | kGlued
  std::int8_t name_like = -1;  // the name detector's: -1 unknown, else 0 or 1
};

struct Token {
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::uint32_t lower_start = 0;  // into TokenizedText::lowered (words only)
  std::uint32_t lower_len = 0;
  TokenKind kind = TokenKind::kPunct;
  bool capitalized = false;  // first letter upper case
  bool all_upper = false;    // every letter upper case (and at least two letters)
  bool newline_before = false;
  bool space_before = false;
  bool sentence_start = false;  // first word of the text, a line or a sentence
  bool ascii = true;            // the word has only ASCII letters
  bool short_number = false;    // a number of at most six digits (house numbers, postcodes)
  std::uint8_t possessive = 0;  // bytes of a final "'s" or "’s" in the lower form (words)
  // A capitalised or all-caps word or a short number: what most rules start from or look
  // for next to a word, asked as one field.
  bool strong = false;
  // The first capitalised or all-caps word at or after this token (TokenizedText::size()
  // when none): rules that start from such words skip the others in one step.
  std::uint32_t next_capitalised = 0;
  std::uint64_t lower_hash = 0;  // HashKey of the lower form (words)
  std::uint64_t word_hash = 0;   // HashKey of the lower form without the possessive (words)
  mutable TokenMemo memo;
};

class TokenizedText {
 public:
  TokenizedText() = default;
  explicit TokenizedText(std::string_view text) { Assign(text); }
  // Tokenises `text`, replacing the previous content but keeping the buffers' capacity
  // (a per-thread instance then tokenises without allocating).
  void Assign(std::string_view text);

  std::string_view text() const { return text_; }
  // A number no other Assign (of any instance) gets: caches of results about a text key
  // on it.
  std::uint64_t id() const { return id_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  std::size_t size() const { return tokens_.size(); }
  const Token& operator[](std::size_t i) const { return tokens_[i]; }

  // (The views are built from the offsets the tokenizer set, which are in range: no
  // bounds check as substr would do, in code that asks for them for every word.)
  std::string_view Surface(const Token& t) const {
    return std::string_view(text_.data() + t.start, t.end - t.start);
  }
  std::string_view Lower(const Token& t) const {
    return std::string_view(lowered_.data() + t.lower_start, t.lower_len);
  }
  // The lower-case form without a possessive "'s" (the gazetteer key of the word).
  std::string_view LowerWord(const Token& t) const {
    return std::string_view(lowered_.data() + t.lower_start, t.lower_len - t.possessive);
  }
  // The same with their hashes, for the word tables (an empty text for a non-word).
  HashedWord LowerKey(const Token& t) const { return {Lower(t), t.lower_hash}; }
  HashedWord WordKey(const Token& t) const { return {LowerWord(t), t.word_hash}; }
  bool IsPunct(std::size_t i, char c) const {
    return i < tokens_.size() && tokens_[i].kind == TokenKind::kPunct &&
           text_[tokens_[i].start] == c;
  }
  // The index of the first capitalised or all-caps word at or after token i (size()
  // when none).
  std::size_t NextCapitalised(std::size_t i) const {
    return i < tokens_.size() ? tokens_[i].next_capitalised : tokens_.size();
  }
  // True when the text has (almost) no upper-case letters: capitalisation carries no
  // information and rules fall back to lower-case forms.
  bool lowercase_text() const { return lowercase_text_; }
  // True when some token is a capitalised or all-caps word or a short number (the
  // tokens most rules start from).
  bool has_capital_or_short_number() const { return capital_or_short_number_; }

  using Memo = TokenMemo;
  static constexpr std::uint8_t kEntryKnown = 1;
  static constexpr std::uint8_t kGluedKnown = 2;
  static constexpr std::uint8_t kGlued = 4;
  Memo& memo(std::size_t i) const { return tokens_[i].memo; }

 private:
  void AddWord(Token& t, std::size_t& i);
  void FinishAsciiWord(Token& t, std::size_t start, std::size_t end, int upper, std::uint64_t hash,
                       int joiners = 0);
  void AddNonAsciiWord(Token& t, std::size_t& i);
  void FinishWord(Token& t);

  std::string_view text_;
  std::vector<Token> tokens_;
  // The lower-case forms of the words, back to back. While tokenising it is longer than
  // its content (lowered_size_ bytes) by at least the bytes left to scan plus eight, so
  // that an ASCII word is lowered straight into it and hashed from it eight bytes at a
  // time.
  std::string lowered_;
  std::size_t lowered_size_ = 0;
  static constexpr std::size_t kLoweredSlack = 8;
  std::string scratch_;  // a non-ASCII word's lower-case form
  bool lowercase_text_ = false;
  bool capital_or_short_number_ = false;
  std::uint64_t id_ = 0;
  int letters_ = 0;        // letters in all words (for lowercase_text_)
  int upper_letters_ = 0;  // upper-case letters among them
};

}  // namespace lanewise::inspect
