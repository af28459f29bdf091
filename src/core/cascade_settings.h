// CascadeSettings: how a cascade route judges its first lane's answer (docs/policy.md,
// "Cascades"). Plain data: the config loader fills it from `strategy: cascade`, the
// decision copies it into the RouteDecision, the executor applies it.
#pragma once

#include <cstddef>

namespace lanewise::core {

struct CascadeSettings {
  // The answer is kept when its confidence (the geometric mean of its tokens'
  // probabilities, exp(mean logprob), in [0, 1]) is at least this.
  double threshold = 0.5;
  bool escalate_on_refusal = true;     // an answer that opens with a refusal escalates
  bool escalate_on_truncation = true;  // finish_reason "length" escalates
  // An answer without token logprobs (a lane that gives none, a tool call): escalate
  // (true) or keep it (false, the default).
  bool escalate_unscored = false;
  // Streaming clients: the first lane's answer is held back, judged, then released or
  // dropped. Past this many bytes of events it is released unjudged (never two answers).
  std::size_t stream_buffer_bytes = 256 * 1024;
};

}  // namespace lanewise::core
