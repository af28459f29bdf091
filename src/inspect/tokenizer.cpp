#include "inspect/tokenizer.h"

#include <algorithm>
#include <array>

#include "inspect/text_utils.h"

namespace lanewise::inspect {
namespace {

// What an ASCII byte can do in the tokenizer; every byte of a multi-byte UTF-8 sequence
// is kHigh (decoded on demand). One table lookup per byte instead of a chain of
// comparisons.
enum CharClass : std::uint8_t {
  kOther,    // punctuation and control characters
  kSpace,    // space, tab, carriage return, form feed
  kNewline,  // '\n'
  kDigit,
  kUpper,
  kLower,
  kJoiner,  // ' and -: inside a word when a letter follows (O'Brien, Jean-Paul)
  kHigh,    // >= 0x80
};

constexpr std::array<CharClass, 256> MakeClasses() {
  std::array<CharClass, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    CharClass cls = kOther;
    if (c >= 0x80) {
      cls = kHigh;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
      cls = kSpace;
    } else if (c == '\n') {
      cls = kNewline;
    } else if (c >= '0' && c <= '9') {
      cls = kDigit;
    } else if (c >= 'A' && c <= 'Z') {
      cls = kUpper;
    } else if (c >= 'a' && c <= 'z') {
      cls = kLower;
    } else if (c == '\'' || c == '-') {
      cls = kJoiner;
    }
    classes[static_cast<std::size_t>(c)] = cls;
  }
  return classes;
}

constexpr std::array<CharClass, 256> kClasses = MakeClasses();

// For the letter loop: 1 for an ASCII lower-case letter, 3 for an upper-case one, else 0.
constexpr std::array<std::uint8_t, 256> MakeAsciiLetters() {
  std::array<std::uint8_t, 256> letters{};
  for (int c = 'a'; c <= 'z'; ++c) letters[static_cast<std::size_t>(c)] = 1;
  for (int c = 'A'; c <= 'Z'; ++c) letters[static_cast<std::size_t>(c)] = 3;
  return letters;
}

constexpr std::array<std::uint8_t, 256> kAsciiLetters = MakeAsciiLetters();

CharClass ClassOf(char c) {
  return kClasses[static_cast<unsigned char>(c)];
}

// True when a letter (ASCII or not) starts at text[i].
bool LetterAt(std::string_view text, std::size_t i) {
  const CharClass cls = ClassOf(text[i]);
  if (cls != kHigh) return cls == kUpper || cls == kLower;
  std::size_t len = 0;
  return IsLetterCodePoint(DecodeAt(text, i, &len));
}

bool EndsSentence(char c) {
  return c == '.' || c == '!' || c == '?' || c == ':' || c == '"' || c == ';';
}

// Bytes of a possessive "'s" / "’s" at the end of a lower-case word (not of "'s" alone).
std::uint8_t PossessiveBytes(std::string_view lower) {
  if (lower.size() > 3 && lower.ends_with("'s")) return 2;
  if (lower.size() > 5 && lower.ends_with("\xE2\x80\x99s")) return 4;
  return 0;
}

}  // namespace

void TokenizedText::Assign(std::string_view text) {
  text_ = text;
  tokens_.clear();
  memo_.clear();
  letters_ = 0;
  upper_letters_ = 0;
  tokens_.reserve(text.size() / 4 + 4);
  lowered_.clear();
  lowered_.resize(text.size());  // room for every byte (see lowered_)
  lowered_size_ = 0;
  bool newline = true;
  bool space = false;
  bool sentence = true;
  std::size_t i = 0;
  while (i < text.size()) {
    const CharClass cls = ClassOf(text[i]);
    if (cls == kSpace || cls == kNewline) {
      if (cls == kNewline) {
        newline = true;
        sentence = true;
      }
      space = true;
      ++i;
      continue;
    }
    Token& t = tokens_.emplace_back();
    t.start = static_cast<std::uint32_t>(i);
    t.newline_before = newline;
    t.space_before = space;
    newline = false;
    space = false;
    if (cls == kDigit) {
      do {
        ++i;
      } while (i < text.size() && ClassOf(text[i]) == kDigit);
      t.kind = TokenKind::kNumber;
      sentence = false;
    } else {
      std::size_t len = 1;
      bool letter = cls == kUpper || cls == kLower;
      if (cls == kHigh) letter = IsLetterCodePoint(DecodeAt(text, i, &len));
      if (letter) {
        AddWord(t, i);
        t.sentence_start = sentence;
        sentence = false;
      } else {
        t.kind = TokenKind::kPunct;
        i += len;
        if (EndsSentence(text[t.start])) sentence = true;
      }
    }
    t.end = static_cast<std::uint32_t>(i);
  }
  lowered_.resize(lowered_size_);
  lowercase_text_ = letters_ >= 8 && upper_letters_ * 50 < letters_;
  memo_.resize(tokens_.size());
}

// Scans the word starting at text_[i] (a letter), moves i past it and fills the word
// fields of t: shape, lower-case form, hashes. An ASCII word (the usual case) is lowered
// and hashed as it is read; a word with other characters is scanned again by
// AddNonAsciiWord.
void TokenizedText::AddWord(Token& t, std::size_t& i) {
  const std::string_view text = text_;
  const std::size_t start = i;
  // Local copies: the stores through `out` (a char pointer) could alias anything else.
  // Every byte of an ASCII word is copied, so the word's byte at text[pos] goes to
  // out[pos].
  std::size_t pos = i;
  char* const out = lowered_.data() + lowered_size_ - start;
  int joiners = 0;
  int upper = 0;
  KeyHasher hash;
  for (;;) {
    // The letters: the hot loop, one table lookup per byte.
    while (pos < text.size()) {
      const auto c = static_cast<unsigned char>(text[pos]);
      const std::uint8_t letter = kAsciiLetters[c];
      if (letter == 0) break;
      upper += letter >> 1;
      const auto lowered = static_cast<char>(c | 0x20);
      out[pos] = lowered;
      hash.Add(lowered);
      ++pos;
    }
    if (pos >= text.size()) break;
    const CharClass cls = ClassOf(text[pos]);
    if (cls == kJoiner && pos + 1 < text.size() && LetterAt(text, pos + 1)) {
      // Inner apostrophe or hyphen joins letters: O'Brien, Jean-Paul.
      out[pos] = text[pos];
      hash.Add(text[pos]);
      ++joiners;
      ++pos;
      continue;
    }
    if (cls == kHigh) {
      AddNonAsciiWord(t, i);
      return;
    }
    break;
  }
  i = pos;
  const std::size_t len = pos - start;
  const int letters = static_cast<int>(len) - joiners;
  t.kind = TokenKind::kWord;
  t.capitalized = ClassOf(text[start]) == kUpper;
  t.all_upper = upper == letters && letters >= 2;
  letters_ += letters;
  upper_letters_ += upper;
  t.lower_start = static_cast<std::uint32_t>(lowered_size_);
  t.lower_len = static_cast<std::uint32_t>(len);
  lowered_size_ += len;
  FinishWord(t, hash);
}

void TokenizedText::AddNonAsciiWord(Token& t, std::size_t& i) {
  const std::string_view text = text_;
  const std::size_t start = i;
  int letters = 0;
  int upper = 0;
  int lower = 0;
  bool ascii = true;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      const CharClass cls = ClassOf(text[i]);
      if (cls == kUpper || cls == kLower) {
        upper += cls == kUpper ? 1 : 0;
        lower += cls == kLower ? 1 : 0;
        ++letters;
        ++i;
        continue;
      }
      if (cls == kJoiner && i + 1 < text.size() && LetterAt(text, i + 1)) {
        ++i;
        continue;
      }
      break;
    }
    ascii = false;
    std::size_t len = 1;
    const std::int32_t cp = DecodeAt(text, i, &len);
    if (IsLetterCodePoint(cp)) {
      upper += IsUpperCodePoint(cp) ? 1 : 0;
      lower += IsLowerCodePoint(cp) ? 1 : 0;
      ++letters;
      i += len;
    } else if (cp == 0x2019 && i + len < text.size() && LetterAt(text, i + len)) {
      i += len;  // ’ inside a word
    } else {
      break;
    }
  }
  std::size_t len = 0;
  t.kind = TokenKind::kWord;
  t.capitalized = IsUpperCodePoint(DecodeAt(text, start, &len));
  t.all_upper = lower == 0 && letters >= 2;
  t.ascii = ascii;
  letters_ += letters;
  upper_letters_ += upper;

  scratch_.clear();
  AppendLower(text.substr(start, i - start), scratch_);
  // Lower-casing may lengthen the word: keep room for the rest of the text.
  const std::size_t needed = lowered_size_ + scratch_.size() + (text.size() - i);
  if (lowered_.size() < needed) lowered_.resize(std::max(needed, 2 * lowered_.size()));
  scratch_.copy(lowered_.data() + lowered_size_, scratch_.size());
  t.lower_start = static_cast<std::uint32_t>(lowered_size_);
  t.lower_len = static_cast<std::uint32_t>(scratch_.size());
  lowered_size_ += scratch_.size();
  KeyHasher hash;
  hash.Add(scratch_);
  FinishWord(t, hash);
}

// Sets the word's possessive length and hashes; `hash` has read its whole lower form.
void TokenizedText::FinishWord(Token& t, KeyHasher hash) {
  t.lower_hash = hash.Value();
  t.possessive = PossessiveBytes(Lower(t));
  t.word_hash = t.possessive == 0 ? t.lower_hash : HashKey(LowerWord(t));
}

}  // namespace lanewise::inspect
