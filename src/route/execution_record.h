// ExecutionRecord: what the executor did for one request, for logs and the audit trail.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace lanewise::route {

struct AttemptRecord {
  std::string lane;
  std::string upstream_model;
  std::string role;  // primary, fallback, escalation
  core::Status status;
  std::chrono::milliseconds duration{0};
  std::size_t request_bytes = 0;  // body bytes sent to the lane; 0 when nothing was sent
  bool redacted = false;          // the lane was sent the redacted request
  std::map<std::string, int> redacted_by_type;
  int messages_dropped = 0;         // by the class's minimum_context
  double estimated_cost_usd = 0.0;  // the plan's estimate for this attempt
  // A cascade's first attempt whose answer was judged doubtful and replaced: why
  // (low_confidence | refusal | truncated | unscored); empty otherwise.
  std::string escalated_because;
  // The latency model's prediction for this attempt (-1: unknown) and what it took: time
  // to first event (streams only) and to the end of the answer; -1 when not measured.
  double predicted_ttft_ms = -1.0;
  double predicted_total_ms = -1.0;
  double ttft_ms = -1.0;
  double total_ms = -1.0;
  long long queued_ms = 0;  // waited for a slot of the lane (capacity)
};

// A cascade's judgement of its first lane's answer (docs/policy.md, "Cascades").
struct CascadeRecord {
  bool judged = false;  // false: no cascade, or its first attempt produced no answer
  double threshold = 0.0;
  double confidence = -1.0;  // exp(mean token logprob); -1: the answer had no logprobs
  int scored_tokens = 0;
  // accepted | escalated | unverified (a streamed answer longer than the buffer, released
  // unjudged)
  std::string verdict;
  std::string reason;  // why it escalated; empty when accepted
  // The escalation produced no answer: the first lane's (doubtful) answer was served.
  bool escalation_failed = false;
};

struct ExecutionRecord {
  std::vector<AttemptRecord> attempts;
  std::string served_by;  // lane that produced the answer; empty when none did
  std::string upstream_model;
  CascadeRecord cascade;
};

}  // namespace lanewise::route
