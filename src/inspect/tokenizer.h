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

enum class TokenKind : std::uint8_t { kWord, kNumber, kPunct };

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
};

class TokenizedText {
 public:
  TokenizedText() = default;
  explicit TokenizedText(std::string_view text) { Assign(text); }
  // Tokenises `text`, replacing the previous content but keeping the buffers' capacity
  // (a per-thread instance then tokenises without allocating).
  void Assign(std::string_view text);

  std::string_view text() const { return text_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  std::size_t size() const { return tokens_.size(); }
  const Token& operator[](std::size_t i) const { return tokens_[i]; }

  std::string_view Surface(const Token& t) const { return text_.substr(t.start, t.end - t.start); }
  std::string_view Lower(const Token& t) const {
    return std::string_view(lowered_).substr(t.lower_start, t.lower_len);
  }
  bool IsPunct(std::size_t i, char c) const {
    return i < tokens_.size() && tokens_[i].kind == TokenKind::kPunct &&
           text_[tokens_[i].start] == c;
  }
  // True when the text has (almost) no upper-case letters: capitalisation carries no
  // information and rules fall back to lower-case forms.
  bool lowercase_text() const { return lowercase_text_; }

  // Per-token memo for the gazetteer layer (see gazetteer_lookup.h): each word is looked
  // up at most once per scan whatever the number of rules that ask.
  struct Memo {
    const LexiconEntry* entry = nullptr;
    std::uint8_t state = 0;  // kEntryKnown | kGluedKnown | kGlued
  };
  static constexpr std::uint8_t kEntryKnown = 1;
  static constexpr std::uint8_t kGluedKnown = 2;
  static constexpr std::uint8_t kGlued = 4;
  Memo& memo(std::size_t i) const { return memo_[i]; }

 private:
  std::string_view text_;
  std::vector<Token> tokens_;
  std::string lowered_;
  bool lowercase_text_ = false;
  mutable std::vector<Memo> memo_;
};

}  // namespace lanewise::inspect
