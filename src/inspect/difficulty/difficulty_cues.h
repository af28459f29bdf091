// Task cues for the difficulty features: words that hint at the kind of task (code,
// maths, multi-step reasoning, constraints, writing...), looked up by word hash.
#pragma once

#include <cstdint>
#include <string_view>

namespace lanewise::inspect {

enum class Cue : std::uint8_t {
  kNone,
  kRate,        // each, per, times, twice...
  kCondition,   // if, but, remaining, unless...
  kFraction,    // half, third, quarter...
  kCode,        // function, python, compile...
  kMath,        // equation, integral, probability...
  kReasoning,   // explain, why, prove, step...
  kConstraint,  // must, exactly, without, format...
  kWriting,     // write, story, poem, email...
  kRoleplay,    // pretend, imagine, character...
  kExtraction,  // extract, list, summarize, json...
  kUnit,        // hours, miles, dollars, liters... (quantities to convert)
  kComparison,  // more, less, fewer, than, difference...
  kSequence,    // first, second, next, finally, later... (steps in order)
  kNumberWord,  // one, two, twelve, hundred, dozen... (a quantity spelt out)
  kAsk,         // calculate, compute: maths words that ask for an answer without '?'
  kCount
};

// FNV-1a over the bytes, folded to lower case (ASCII). The word hash of the features.
inline constexpr std::uint64_t kWordHashSeed = 1469598103934665603ULL;
inline constexpr std::uint64_t WordHashStep(std::uint64_t hash, unsigned char byte) {
  return (hash ^ byte) * 1099511628211ULL;
}
std::uint64_t HashWord(std::string_view lower_case_word);

// The cue of a word (by its HashWord), kNone for most words.
Cue CueOfWord(std::uint64_t word_hash);

}  // namespace lanewise::inspect
