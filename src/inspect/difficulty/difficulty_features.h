// Difficulty features: what the difficulty model reads of a request's prompt.
//
// The same code produces the features at run time (DifficultyModel::Score) and for
// training (`lanewise difficulty-features`, read by tools/train/train_difficulty.py), so
// the trained weights always match the C++ features. Changing anything here changes the
// feature space: bump kDifficultyFeatureVersion and retrain.
//
// Layout of the feature vector (kDifficultyFeatureCount entries):
//   [0, D)        dense task cues (DenseFeature), D = kDenseFeatureCount
//   [D, 2D)       the same cues when the prompt is multiple choice, else 0
//   [2D, 3D)      the same cues when it is a question with numbers (a word problem)
//   [3D, 4D)      the same cues for any other prompt (open-ended chat)
//   [4D, 4D + B)  hashed words and word pairs of the last user message, B buckets, each
//                 occurrence worth 1/sqrt(number of occurrences)
//   [4D + (1 + k)B, 4D + (2 + k)B)  the same buckets again for prompts of kind k (k = 0:
//                 multiple choice, 1: numeric question, 2: open), 0 for the other kinds
// The kind gives each family of tasks its own weights for the cues and words: a long
// prompt, or the word "function", means something else in a word problem than in a chat.
// The shared copy carries what the kinds have in common.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "inspect/difficulty/request_prompt.h"

namespace lanewise::inspect {

inline constexpr std::string_view kDifficultyFeatureVersion = "difficulty-features-5";

enum class DenseFeature : std::uint8_t {
  kLogBytes,
  kLogWords,
  kLogNumbers,
  kLogSentences,
  kPercent,
  kFraction,
  kDecimal,
  kMoney,
  kBigNumber,
  kLogQuestionMarks,
  kMultipleChoice,
  kRateWords,
  kConditionWords,
  kCodeWords,
  kCodeSymbols,
  kCodeFence,
  kMathWords,
  kMathSymbols,
  kReasoningWords,
  kConstraintWords,
  kWritingWords,
  kRoleplayWords,
  kExtractionWords,
  kNonAsciiShare,
  kLogUserTurns,
  kHasSystem,
  kLogConversationBytes,
  kLogNewlines,
  kMeanWordLength,
  kLogLongestNumber,
  kUnitWords,
  kComparisonWords,
  kSequenceWords,
  kLinearBytes,    // bytes / 1000, at most 4: length as the prompt-length baseline reads it
  kLogQuantities,  // numbers, number words and fraction words: the quantities of a problem
  kLogAllCaps,     // words in capitals ("NOT", "EXCEPT", acronyms)
  kBias,           // always 1: lets the multiple-choice split carry its own intercept
  kCount
};

inline constexpr std::size_t kDenseFeatureCount = static_cast<std::size_t>(DenseFeature::kCount);
inline constexpr std::size_t kDifficultyHashBuckets = std::size_t{1} << 16;
inline constexpr std::size_t kPromptKinds = 3;
inline constexpr std::size_t kHashedFeatureOffset = (1 + kPromptKinds) * kDenseFeatureCount;
inline constexpr std::size_t kDifficultyFeatureCount =
    kHashedFeatureOffset + (1 + kPromptKinds) * kDifficultyHashBuckets;

enum class PromptKind : std::uint8_t { kMultipleChoice, kNumericQuestion, kOpen };

struct DifficultyFeatures {
  std::array<float, kDenseFeatureCount> dense{};
  PromptKind kind = PromptKind::kOpen;
  // Where the kind's copy of the dense cues starts.
  std::size_t KindOffset() const {
    return (1 + static_cast<std::size_t>(kind)) * kDenseFeatureCount;
  }
  // Where the kind's copy of the hashed buckets starts.
  std::size_t KindHashedOffset() const {
    return kHashedFeatureOffset + (1 + static_cast<std::size_t>(kind)) * kDifficultyHashBuckets;
  }
  // Bucket of each word and word pair, in order (buckets repeat); relative to
  // kHashedFeatureOffset. Reused across calls: keeps its capacity.
  std::vector<std::uint32_t> hashed;

  // The value every hashed occurrence adds to its bucket.
  float HashedValue() const;
};

// Fills `out` from the prompt; never fails (an empty prompt gives zeros but the bias).
void ExtractDifficultyFeatures(const RequestPrompt& prompt, DifficultyFeatures& out);

}  // namespace lanewise::inspect
