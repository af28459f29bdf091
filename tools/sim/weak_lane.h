// WeakLane: the simulator answering like a weak model, for cascade evaluations
// (docs/simulator.md, "Weak lane"; bench/cascade_eval.sh).
//
// Each answer is "right" or "wrong", decided by a hash of the conversation and the seed
// (same conversation, same verdict), and its tokens' log-probabilities follow a
// distribution that depends on that verdict:
//   - the answer has a per-answer "fork rate" r: the share of tokens where the model
//     hesitates. r = median * exp(spread * Z), Z standard normal, at most 0.95; the
//     median is `right_fork_rate` or `wrong_fork_rate`;
//   - a fork token's logprob is -Exponential(mean `fork_logprob_mean`), any other
//     token's -Exponential(mean `base_logprob_mean`).
// So right answers are mostly confident, wrong ones have a lower mean logprob, and the
// two overlap. The length is `tokens` / 2 to 3 * `tokens` / 2 words; the last token says
// the verdict (" [weak:right]" or " [weak:wrong]") so that a client can score the answer
// it was finally given.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace lanewise::sim {

struct WeakLaneSettings {
  bool enabled = false;
  double right_share = 0.64;  // GSM8K: Mixtral-8x7B-Instruct answers 63.7% right
  std::uint64_t seed = 1;
  double right_fork_rate = 0.06;
  double wrong_fork_rate = 0.14;
  double fork_rate_spread = 0.6;
  double fork_logprob_mean = 1.2;
  double base_logprob_mean = 0.02;
};

struct WeakAnswer {
  bool right = false;
  std::vector<std::string> tokens;
  std::vector<double> logprobs;  // one per token
};

WeakAnswer PlanWeakAnswer(const WeakLaneSettings& settings, std::uint64_t messages_hash,
                          int tokens);

// `{"right_share":..., "seed":..., ...}` (absent fields keep their values; `enabled`
// becomes true), `true` / `false`, or null (off). Errors are kInvalidArgument.
core::Status ApplyWeakLane(const boost::json::value& patch, WeakLaneSettings& settings);
boost::json::value WeakLaneToJson(const WeakLaneSettings& settings);

}  // namespace lanewise::sim
