// The cascade's verifier for worked maths answers (GSM8K): reads only the weak model's
// answer text and says how doubtful it is, so that a cascade can keep the answer or
// escalate it (docs/policy.md, "Cascades"; `lanewise eval-routing`).
//
// The signals, each a sign of a wrong answer on GSM8K's TRAIN split (Mixtral-8x7B's
// answers; the share right among the TRAIN answers that show it, against 65.6% overall):
//   - no final answer ("#### N"): the answer stopped or never concluded (25%);
//   - the final answer is not a whole number (GSM8K's answers all are) (0%);
//   - the final answer differs from the last result the reasoning computed ("= N") (26%);
//   - an arithmetic error: a calculator note <<a*b=c>> or an inline "a op b = c" whose
//     result is wrong (6% and 33%);
//   - hedging words (however, approximately, round, not possible, cannot, can't, note,
//     mistake, fraction; substrings, lower case) (10% for "however").
// The score adds 3 for a missing or fractional final answer, 2 for a final answer that
// differs from the last result, 3 for any arithmetic error, 1 per hedging word (at most
// 2), and the answer's length in thousands of bytes (longer answers are right less often;
// it also orders answers with the same signals). Higher: escalate sooner.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace lanewise::inspect {

struct AnswerCheck {
  bool has_final = false;              // a "####" line
  std::optional<double> final_answer;  // the first number on it
  std::optional<double> last_result;   // the last "= N" before it
  int arithmetic_errors = 0;           // calculator notes and inline equations
  int hedges = 0;                      // distinct hedging words
  std::size_t length = 0;              // bytes
  double score = 0.0;                  // the doubt: higher escalates sooner
};

AnswerCheck CheckMathAnswer(std::string_view answer);

}  // namespace lanewise::inspect
