// What a lane will take for one request, from its learned latency model (core::
// LaneLatencyEstimate, lanes/latency_model.h) and the request's size:
//
//   queue  = (in_flight - slots + 0.5) x service / slots   when in_flight >= slots > 0
//   ttft   = rtt + prefill_ms_per_token x input tokens + queue
//   total  = ttft + decode_ms_per_token x output tokens (max_tokens, else 256)
//
// Unknown (known = false) until the lane has answered a few streamed requests: only those
// show the gateway their first token.
#pragma once

#include "core/facts.h"
#include "core/lane_state.h"

namespace lanewise::policy {

inline constexpr int kMinLatencySamples = 3;

struct LatencyPrediction {
  bool known = false;
  double ttft_ms = -1.0;
  double total_ms = -1.0;
  double queue_ms = 0.0;
};

LatencyPrediction PredictLatency(const core::LaneLatencyEstimate& estimate, int slots,
                                 const core::Facts& facts);

}  // namespace lanewise::policy
