#include "inspect/difficulty/difficulty_features.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "inspect/difficulty/difficulty_cues.h"

namespace lanewise::inspect {
namespace {

constexpr std::uint64_t Mix(std::uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::uint32_t Bucket(std::uint64_t hash) {
  return static_cast<std::uint32_t>(Mix(hash) % kDifficultyHashBuckets);
}

constexpr bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
constexpr bool IsWordByte(unsigned char c) {
  return IsAsciiAlnum(c) || c >= 0x80;
}
constexpr bool IsDigit(unsigned char c) {
  return c >= '0' && c <= '9';
}
constexpr bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
constexpr unsigned char Lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + ('a' - 'A')) : c;
}

// Counts gathered in one pass over the prompt's bytes.
struct Counts {
  std::size_t bytes = 0, words = 0, word_bytes = 0, numbers = 0, sentences = 0;
  std::size_t question_marks = 0, newlines = 0, non_ascii = 0, code_symbols = 0;
  std::size_t math_symbols = 0, code_fences = 0, longest_number = 0, all_caps = 0;
  bool percent = false, fraction = false, decimal = false, money = false;
  std::array<std::size_t, static_cast<std::size_t>(Cue::kCount)> cues{};
  unsigned option_letters = 0;  // bit i: a line starts with "A." .. "D." / "A)"
};

class Tokenizer {
 public:
  Tokenizer(Counts& counts, std::vector<std::uint32_t>& hashed) : c_(counts), hashed_(hashed) {}

  void Feed(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    c_.bytes += n;
    bool line_start = true;
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned char b = p[i];
      if (IsWordByte(b)) {
        if (line_start) NoteOptionLetter(p, i, n);
        line_start = false;
        std::size_t j = i;
        std::uint64_t hash = kWordHashSeed;
        bool digits_only = true, upper_only = true;
        for (; j < n && IsWordByte(p[j]); ++j) {
          hash = WordHashStep(hash, Lower(p[j]));
          digits_only = digits_only && IsDigit(p[j]);
          upper_only = upper_only && p[j] >= 'A' && p[j] <= 'Z';
          if (p[j] >= 0x80) ++c_.non_ascii;
        }
        if (upper_only && j - i >= 2) ++c_.all_caps;
        EndWord(hash, j - i, digits_only);
        i = j - 1;
        continue;
      }
      if (b == '\n') {
        ++c_.newlines;
        line_start = true;
        continue;
      }
      if (IsSpace(b)) continue;
      line_start = false;
      const bool digit_before = i > 0 && IsDigit(p[i - 1]);
      const bool digit_after = i + 1 < n && IsDigit(p[i + 1]);
      switch (b) {
        case '%':
          c_.percent = true;
          break;
        case '$':
          c_.money = true;
          break;
        case '?':
          ++c_.question_marks;
          break;
        case '{':
        case '}':
        case ';':
          ++c_.code_symbols;
          break;
        case '=':
        case '+':
        case '*':
        case '^':
        case '\\':
        case '<':
        case '>':
          ++c_.math_symbols;
          break;
        case '/':
          c_.fraction = c_.fraction || (digit_before && digit_after);
          break;
        case '`':
          if (i + 2 < n && p[i + 1] == '`' && p[i + 2] == '`') ++c_.code_fences;
          break;
        default:
          break;
      }
      if (b == '.' && digit_before && digit_after) c_.decimal = true;
      if ((b == '.' || b == '!' || b == '?') && (i + 1 == n || IsSpace(p[i + 1]))) {
        ++c_.sentences;
      }
      EndToken(WordHashStep(kWordHashSeed ^ 0x5bd1e995ULL, b));
    }
  }

 private:
  // "A." / "b)" / "(C)" at the start of a line: an answer option.
  void NoteOptionLetter(const unsigned char* p, std::size_t i, std::size_t n) {
    const unsigned char letter = Lower(p[i]);
    if (letter < 'a' || letter > 'd' || i + 1 >= n) return;
    const unsigned char next = p[i + 1];
    const bool parenthesised = i > 0 && p[i - 1] == '(';
    if (next == '.' || next == ')' || (parenthesised && next == ')')) {
      c_.option_letters |= 1u << (letter - 'a');
    }
  }

  void EndWord(std::uint64_t hash, std::size_t length, bool digits_only) {
    if (digits_only) {
      ++c_.numbers;
      if (length > c_.longest_number) c_.longest_number = length;
      // Numbers are told apart by their number of digits only: "16" and "42" are alike.
      const auto digits = static_cast<unsigned char>('0' + (length > 9 ? 9 : length));
      EndToken(WordHashStep(WordHashStep(kWordHashSeed, '#'), digits));
      return;
    }
    ++c_.words;
    c_.word_bytes += length;
    ++c_.cues[static_cast<std::size_t>(CueOfWord(hash))];
    EndToken(hash);
  }

  void EndToken(std::uint64_t hash) {
    hashed_.push_back(Bucket(hash));
    if (has_previous_) hashed_.push_back(Bucket(previous_ * 0x9e3779b97f4a7c15ULL + hash));
    previous_ = hash;
    has_previous_ = true;
  }

  Counts& c_;
  std::vector<std::uint32_t>& hashed_;
  std::uint64_t previous_ = 0;
  bool has_previous_ = false;
};

float Log1p(std::size_t n, float scale) {
  return static_cast<float>(std::log1p(static_cast<double>(n))) / scale;
}

}  // namespace

float DifficultyFeatures::HashedValue() const {
  return hashed.empty() ? 0.0f : 1.0f / std::sqrt(static_cast<float>(hashed.size()));
}

void ExtractDifficultyFeatures(const RequestPrompt& prompt, DifficultyFeatures& out) {
  out.dense.fill(0.0f);
  out.hashed.clear();
  Counts c;
  Tokenizer tokenizer(c, out.hashed);
  for (std::string_view part : prompt.last_user_parts) tokenizer.Feed(part);

  auto set = [&](DenseFeature f, float v) { out.dense[static_cast<std::size_t>(f)] = v; };
  auto cue = [&](Cue k) { return c.cues[static_cast<std::size_t>(k)]; };
  const bool multiple_choice = std::popcount(c.option_letters) >= 2;
  // A word problem: two quantities or more (digits or spelt out: "twelve", "half") and a
  // question ("?", or "calculate" without one).
  const std::size_t quantities = c.numbers + cue(Cue::kNumberWord) + cue(Cue::kFraction);
  const bool asks = c.question_marks >= 1 || cue(Cue::kAsk) >= 1;
  out.kind = multiple_choice             ? PromptKind::kMultipleChoice
             : (quantities >= 2 && asks) ? PromptKind::kNumericQuestion
                                         : PromptKind::kOpen;
  set(DenseFeature::kLogBytes, Log1p(c.bytes, 8));
  set(DenseFeature::kLogWords, Log1p(c.words, 6));
  set(DenseFeature::kLogNumbers, Log1p(c.numbers, 3));
  set(DenseFeature::kLogSentences, Log1p(c.sentences, 3));
  set(DenseFeature::kPercent, c.percent ? 1.0f : 0.0f);
  set(DenseFeature::kFraction, (c.fraction || cue(Cue::kFraction) > 0) ? 1.0f : 0.0f);
  set(DenseFeature::kDecimal, c.decimal ? 1.0f : 0.0f);
  set(DenseFeature::kMoney, c.money ? 1.0f : 0.0f);
  set(DenseFeature::kBigNumber, c.longest_number >= 4 ? 1.0f : 0.0f);
  set(DenseFeature::kLogQuestionMarks, Log1p(c.question_marks, 2));
  set(DenseFeature::kMultipleChoice, multiple_choice ? 1.0f : 0.0f);
  set(DenseFeature::kRateWords, Log1p(cue(Cue::kRate), 2));
  set(DenseFeature::kConditionWords, Log1p(cue(Cue::kCondition), 2));
  set(DenseFeature::kCodeWords, Log1p(cue(Cue::kCode), 2));
  set(DenseFeature::kCodeSymbols, Log1p(c.code_symbols, 3));
  set(DenseFeature::kCodeFence, c.code_fences > 0 ? 1.0f : 0.0f);
  set(DenseFeature::kMathWords, Log1p(cue(Cue::kMath) + cue(Cue::kAsk), 2));
  set(DenseFeature::kMathSymbols, Log1p(c.math_symbols, 3));
  set(DenseFeature::kReasoningWords, Log1p(cue(Cue::kReasoning), 2));
  set(DenseFeature::kConstraintWords, Log1p(cue(Cue::kConstraint), 2));
  set(DenseFeature::kWritingWords, Log1p(cue(Cue::kWriting), 2));
  set(DenseFeature::kRoleplayWords, Log1p(cue(Cue::kRoleplay), 2));
  set(DenseFeature::kExtractionWords, Log1p(cue(Cue::kExtraction), 2));
  set(DenseFeature::kNonAsciiShare,
      c.bytes == 0 ? 0.0f : static_cast<float>(c.non_ascii) / static_cast<float>(c.bytes));
  set(DenseFeature::kLogUserTurns, Log1p(prompt.user_turns, 2));
  set(DenseFeature::kHasSystem, prompt.has_system ? 1.0f : 0.0f);
  set(DenseFeature::kLogConversationBytes, Log1p(prompt.conversation_bytes, 10));
  set(DenseFeature::kLogNewlines, Log1p(c.newlines, 3));
  set(DenseFeature::kMeanWordLength,
      c.words == 0 ? 0.0f : static_cast<float>(c.word_bytes) / static_cast<float>(c.words) / 10.0f);
  set(DenseFeature::kLogLongestNumber, Log1p(c.longest_number, 2));
  set(DenseFeature::kUnitWords, Log1p(cue(Cue::kUnit), 2));
  set(DenseFeature::kComparisonWords, Log1p(cue(Cue::kComparison), 2));
  set(DenseFeature::kSequenceWords, Log1p(cue(Cue::kSequence), 2));
  set(DenseFeature::kLinearBytes,
      static_cast<float>(std::min<std::size_t>(c.bytes, 4000)) / 1000.0f);
  set(DenseFeature::kLogQuantities, Log1p(quantities, 3));
  set(DenseFeature::kLogAllCaps, Log1p(c.all_caps, 2));
  set(DenseFeature::kBias, 1.0f);
}

}  // namespace lanewise::inspect
