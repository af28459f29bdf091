#include "inspect/tokenizer.h"

#include "inspect/text_utils.h"

namespace lanewise::inspect {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAsciiLetter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

}  // namespace

void TokenizedText::Assign(std::string_view text) {
  text_ = text;
  tokens_.clear();
  lowered_.clear();
  memo_.clear();
  lowercase_text_ = false;
  tokens_.reserve(text.size() / 4 + 4);
  lowered_.reserve(text.size());
  bool newline = true;
  bool space = false;
  bool sentence = true;
  int upper_letters = 0;
  int letters = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (IsSpace(c)) {
      if (c == '\n') {
        newline = true;
        sentence = true;
      }
      space = true;
      ++i;
      continue;
    }
    Token t;
    t.start = static_cast<std::uint32_t>(i);
    t.newline_before = newline;
    t.space_before = space;
    if (IsDigit(c)) {
      while (i < text.size() && IsDigit(text[i])) ++i;
      t.kind = TokenKind::kNumber;
    } else {
      std::size_t len = 1;
      const auto lead = static_cast<unsigned char>(c);
      std::int32_t cp = lead < 0x80 ? static_cast<std::int32_t>(lead) : DecodeAt(text, i, &len);
      if (lead < 0x80 ? IsAsciiLetter(lead) : IsLetterCodePoint(cp)) {
        t.kind = TokenKind::kWord;
        t.lower_start = static_cast<std::uint32_t>(lowered_.size());
        bool first = true;
        bool any_lower = false;
        int word_letters = 0;
        bool ascii = true;
        while (i < text.size()) {
          const auto b = static_cast<unsigned char>(text[i]);
          if (b < 0x80) {  // ASCII fast path
            const bool upper = b >= 'A' && b <= 'Z';
            const bool lower = b >= 'a' && b <= 'z';
            if (upper || lower) {
              lowered_.push_back(static_cast<char>(b | 0x20));
              if (first) t.capitalized = upper;
              any_lower = any_lower || lower;
              upper_letters += upper ? 1 : 0;
              ++letters;
              ++word_letters;
              first = false;
              ++i;
              continue;
            }
            if ((b == '\'' || b == '-') && i + 1 < text.size()) {
              // Inner apostrophe or hyphen joins letters: O'Brien, Jean-Paul.
              std::size_t next_len = 0;
              const auto next = static_cast<unsigned char>(text[i + 1]);
              if (next < 0x80 ? IsAsciiLetter(next)
                              : IsLetterCodePoint(DecodeAt(text, i + 1, &next_len))) {
                lowered_.push_back(static_cast<char>(b));
                ++i;
                continue;
              }
            }
            break;
          }
          ascii = false;
          cp = DecodeAt(text, i, &len);
          if (IsLetterCodePoint(cp)) {
            const bool upper = IsUpperCodePoint(cp);
            if (first) t.capitalized = upper;
            any_lower = any_lower || IsLowerCodePoint(cp);
            upper_letters += upper ? 1 : 0;
            ++letters;
            ++word_letters;
            first = false;
            i += len;
          } else if (cp == 0x2019 && i + len < text.size()) {  // ’ inside a word
            std::size_t next_len = 0;
            if (!IsLetterCodePoint(DecodeAt(text, i + len, &next_len))) break;
            i += len;
          } else {
            break;
          }
        }
        t.all_upper = !any_lower && word_letters >= 2;
        t.ascii = ascii;
      } else {
        t.kind = TokenKind::kPunct;
        i += len;
      }
    }
    t.end = static_cast<std::uint32_t>(i);
    if (t.kind == TokenKind::kWord) {
      // ASCII letters were lowered while scanning; a word with other letters is lowered
      // again as a whole.
      if (!t.ascii) {
        lowered_.resize(t.lower_start);
        AppendLower(text.substr(t.start, t.end - t.start), lowered_);
      }
      t.lower_len = static_cast<std::uint32_t>(lowered_.size() - t.lower_start);
      t.sentence_start = sentence;
    }
    if (t.kind != TokenKind::kPunct) {
      sentence = false;
    } else {
      const char p = text[t.start];
      if (p == '.' || p == '!' || p == '?' || p == ':' || p == '"' || p == ';') sentence = true;
    }
    tokens_.push_back(t);
    newline = false;
    space = false;
  }
  lowercase_text_ = letters >= 8 && upper_letters * 50 < letters;
  memo_.resize(tokens_.size());
}

}  // namespace lanewise::inspect
