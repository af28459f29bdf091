#include "inspect/text/tokenizer.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>

#include "inspect/text/text_utils.h"

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

// The ASCII letters starting at text[pos], up to eight, read as one 64-bit word: how
// many there are (8: maybe more follow) and how many of them are upper case. Their
// lower-case forms are written to out[pos...] (with junk after them, overwritten by the
// next word). Length 0 when fewer than eight bytes are left (the caller goes on byte by
// byte) or text[pos] is no ASCII letter.
struct LetterRun {
  int length = 0;
  int upper = 0;
  std::uint64_t lowered = 0;  // the lower-case bytes, first in the low byte
};
[[gnu::always_inline]] inline LetterRun LetterRunAt(std::string_view text, std::size_t pos,
                                                    char* out) {
  if (pos + 8 > text.size()) return {};
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::uint64_t bytes = 0;
  std::memcpy(&bytes, text.data() + pos, 8);
  const std::uint64_t lowered = bytes | (kOnes * 0x20);
  // Bit 7 of a byte: set when its lowered form is in 'a'..'z' (ASCII bytes only, so the
  // additions never carry into the next byte).
  const std::uint64_t low7 = lowered & ~kHighBits;
  const std::uint64_t at_least_a = low7 + kOnes * (0x80 - 'a');
  const std::uint64_t above_z = low7 + kOnes * (0x80 - 'z' - 1);
  const std::uint64_t letters = at_least_a & ~above_z & ~bytes & kHighBits;
  const std::uint64_t others = ~letters & kHighBits;
  const int length = others == 0 ? 8 : std::countr_zero(others) / 8;
  const std::uint64_t run =
      length == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * length)) - 1;
  // An upper-case letter has bit 5 clear; shifted to bit 7.
  const std::uint64_t upper = letters & ~(bytes << 2) & run;
  std::memcpy(out + pos, &lowered, 8);
  // One bit per byte: their sum, by a multiplication (no popcount instruction needed).
  const auto upper_count = static_cast<int>((((upper >> 7) * kOnes) >> 56) & 0xFF);
  return {length, upper_count, lowered};
}

// HashKey of the n bytes at p, which at least seven readable bytes follow (the slack of
// TokenizedText::lowered_): whole eight-byte loads instead of byte by byte.
std::uint64_t HashPadded(const char* p, std::size_t n) {
  if constexpr (std::endian::native != std::endian::little) {
    return HashKey(std::string_view(p, n));
  }
  std::uint64_t h = key_hash::Start(n);
  std::size_t i = 0;
  std::uint64_t chunk = 0;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&chunk, p + i, 8);
    h = key_hash::Mix(h, chunk);
  }
  if (i < n) {
    std::memcpy(&chunk, p + i, 8);
    h = key_hash::Mix(h, chunk & ((std::uint64_t{1} << (8 * (n - i))) - 1));
  }
  return key_hash::Finish(h);
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
  if (lower.empty() || lower.back() != 's') return 0;
  if (lower.size() > 3 && lower.ends_with("'s")) return 2;
  if (lower.size() > 5 && lower.ends_with("\xE2\x80\x99s")) return 4;
  return 0;
}

}  // namespace

void TokenizedText::Assign(std::string_view text) {
  static std::atomic<std::uint64_t> last_id{0};
  id_ = last_id.fetch_add(1, std::memory_order_relaxed) + 1;
  text_ = text;
  tokens_.clear();
  letters_ = 0;
  upper_letters_ = 0;
  tokens_.reserve(text.size() / 4 + 4);
  lowered_.clear();
  lowered_.resize(text.size() + kLoweredSlack);  // room for every byte (see lowered_)
  lowered_size_ = 0;
  capital_or_short_number_ = false;
  bool newline = true;
  bool space = false;
  bool sentence = true;
  // Tokens before this one wait for the next capitalised word (Token::next_capitalised).
  std::size_t unresolved = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    CharClass cls = ClassOf(text[i]);
    if (cls == kSpace || cls == kNewline) {
      // A run of white space, mostly one byte: read to its end here.
      space = true;
      do {
        if (cls == kNewline) {
          newline = true;
          sentence = true;
        }
        if (++i == text.size()) break;
        cls = ClassOf(text[i]);
      } while (cls == kSpace || cls == kNewline);
      if (i == text.size()) break;
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
      t.short_number = i - t.start <= 6;
      t.strong = t.short_number;
      capital_or_short_number_ = capital_or_short_number_ || t.short_number;
      sentence = false;
    } else {
      std::size_t len = 1;
      bool letter = cls == kUpper || cls == kLower;
      if (cls == kHigh) letter = IsLetterCodePoint(DecodeAt(text, i, &len));
      if (letter) {
        AddWord(t, i);
        t.sentence_start = sentence;
        sentence = false;
        if (t.capitalized || t.all_upper) {
          t.strong = true;
          const std::size_t k = tokens_.size() - 1;
          for (; unresolved <= k; ++unresolved) {
            tokens_[unresolved].next_capitalised = static_cast<std::uint32_t>(k);
          }
          capital_or_short_number_ = true;
        }
      } else {
        t.kind = TokenKind::kPunct;
        i += len;
        if (EndsSentence(text[t.start])) sentence = true;
      }
    }
    t.end = static_cast<std::uint32_t>(i);
  }
  for (; unresolved < tokens_.size(); ++unresolved) {
    tokens_[unresolved].next_capitalised = static_cast<std::uint32_t>(tokens_.size());
  }
  lowered_.resize(lowered_size_);
  lowercase_text_ = letters_ >= 8 && upper_letters_ * 50 < letters_;
}

// Sets the word's possessive length and hashes.
void TokenizedText::FinishWord(Token& t) {
  t.lower_hash = HashPadded(lowered_.data() + t.lower_start, t.lower_len);
  t.possessive = PossessiveBytes(Lower(t));
  t.word_hash = t.possessive == 0
                    ? t.lower_hash
                    : HashPadded(lowered_.data() + t.lower_start, t.lower_len - t.possessive);
}

// Scans the word starting at text_[i] (a letter), moves i past it and fills the word
// fields of t: shape, lower-case form, hashes. An ASCII word (the usual case) is lowered
// as it is read, eight bytes at a time, then hashed from the lowered bytes; a word with
// other characters is scanned again by AddNonAsciiWord.
// Inlined into Assign: called for every word, its call overhead showed in profiles.
[[gnu::always_inline]] inline void TokenizedText::AddWord(Token& t, std::size_t& i) {
  const std::string_view text = text_;
  const std::size_t start = i;
  // Local copies: the stores through `out` (a char pointer) could alias anything else.
  // Every byte of an ASCII word is copied, so the word's byte at text[pos] goes to
  // out[pos].
  std::size_t pos = i;
  char* const out = lowered_.data() + lowered_size_ - start;
  int joiners = 0;
  int upper = 0;
  // Most words are ASCII letters only, shorter than eight bytes and followed by a space
  // or punctuation: one letter run holds the whole word, and its hash is taken from the
  // lowered bytes already in a register.
  if (const LetterRun run = LetterRunAt(text, pos, out); run.length > 0 && run.length < 8) {
    const std::size_t end = pos + static_cast<std::size_t>(run.length);  // < text.size()
    const CharClass next = ClassOf(text[end]);
    const bool joined = next == kJoiner && end + 1 < text.size() && LetterAt(text, end + 1);
    if (next != kHigh && !joined) {
      const std::uint64_t chunk = run.lowered & ((std::uint64_t{1} << (8 * run.length)) - 1);
      const std::uint64_t hash = key_hash::Finish(
          key_hash::Mix(key_hash::Start(static_cast<std::size_t>(run.length)), chunk));
      FinishAsciiWord(t, start, end, run.upper, hash);
      i = end;
      return;
    }
  }
  for (;;) {
    // The letters: eight bytes at a time while the text lasts, then byte by byte.
    for (;;) {
      const LetterRun run = LetterRunAt(text, pos, out);
      upper += run.upper;
      pos += static_cast<std::size_t>(run.length);
      if (run.length < 8) break;
    }
    while (pos < text.size()) {
      const auto c = static_cast<unsigned char>(text[pos]);
      const std::uint8_t letter = kAsciiLetters[c];
      if (letter == 0) break;
      upper += letter >> 1;
      const auto lowered = static_cast<char>(c | 0x20);
      out[pos] = lowered;
      ++pos;
    }
    if (pos >= text.size()) break;
    const CharClass cls = ClassOf(text[pos]);
    if (cls == kJoiner && pos + 1 < text.size() && LetterAt(text, pos + 1)) {
      // Inner apostrophe or hyphen joins letters: O'Brien, Jean-Paul.
      out[pos] = text[pos];
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
  FinishAsciiWord(t, start, pos, upper, HashPadded(out + start, len), joiners);
  // As FinishWord, knowing that an ASCII word can only end with the possessive "'s".
  if (len > 3 && out[pos - 1] == 's' && out[pos - 2] == '\'') {
    t.possessive = 2;
    t.word_hash = HashPadded(out + start, len - 2);
  }
}

// The fields of the ASCII word text_[start, end) (lowered at lowered_size_), but its
// possessive.
[[gnu::always_inline]] inline void TokenizedText::FinishAsciiWord(Token& t, std::size_t start,
                                                                  std::size_t end, int upper,
                                                                  std::uint64_t hash, int joiners) {
  const std::size_t len = end - start;
  const int letters = static_cast<int>(len) - joiners;
  t.kind = TokenKind::kWord;
  t.capitalized = ClassOf(text_[start]) == kUpper;
  t.all_upper = upper == letters && letters >= 2;
  letters_ += letters;
  upper_letters_ += upper;
  t.lower_start = static_cast<std::uint32_t>(lowered_size_);
  t.lower_len = static_cast<std::uint32_t>(len);
  lowered_size_ += len;
  t.lower_hash = hash;
  t.word_hash = hash;
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
  const std::size_t needed = lowered_size_ + scratch_.size() + (text.size() - i) + kLoweredSlack;
  if (lowered_.size() < needed) lowered_.resize(std::max(needed, 2 * lowered_.size()));
  scratch_.copy(lowered_.data() + lowered_size_, scratch_.size());
  t.lower_start = static_cast<std::uint32_t>(lowered_size_);
  t.lower_len = static_cast<std::uint32_t>(scratch_.size());
  lowered_size_ += scratch_.size();
  FinishWord(t);
}

}  // namespace lanewise::inspect
