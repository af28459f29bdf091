// LatencyModel: one lane's speed, learned from its recent answers (the seeds' latency
// decomposition: network round trip, prefill, decode, queue).
//
//   time to first token = rtt + prefill_ms_per_token x prompt tokens + queue wait
//   total               = time to first token + decode_ms_per_token x output tokens
//
// rtt and prefill come from a least-squares line of time to first token on prompt tokens
// over the recent answers that did not queue (started with fewer requests in flight than
// the lane's slots); decode from the median of (total - first token) / output tokens;
// service time (how long an answer holds a slot) from the mean total of answers that did
// not queue. Bounded: the last kWindow answers. Not thread-safe (LaneHealth locks it).
#pragma once

#include <cstddef>
#include <deque>

#include "core/lane_state.h"

namespace lanewise::lanes {

struct LatencySample {
  double prompt_tokens = 0;  // the gateway's estimate (the same one predictions use)
  double output_tokens = 0;  // generated tokens (stream chunks with content, or usage)
  double ttft_ms = -1;       // time to first event; -1 when unknown (a whole answer)
  double total_ms = 0;
  bool queued = false;  // started with at least `slots` requests in flight
};

class LatencyModel {
 public:
  static constexpr std::size_t kWindow = 128;

  void Add(const LatencySample& sample);
  // The fitted parameters (in_flight left 0 for the caller to fill).
  core::LaneLatencyEstimate Estimate() const;

 private:
  std::deque<LatencySample> samples_;
};

}  // namespace lanewise::lanes
