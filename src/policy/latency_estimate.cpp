#include "policy/latency_estimate.h"

#include "policy/cost_estimate.h"

namespace lanewise::policy {

LatencyPrediction PredictLatency(const core::LaneLatencyEstimate& estimate, int slots,
                                 const core::Facts& facts) {
  LatencyPrediction out;
  if (estimate.samples < kMinLatencySamples) return out;
  out.known = true;
  if (slots > 0 && estimate.in_flight >= slots) {
    out.queue_ms = (estimate.in_flight - slots + 0.5) * estimate.service_ms / slots;
  }
  out.ttft_ms = estimate.rtt_ms +
                estimate.prefill_ms_per_token * static_cast<double>(facts.estimated_input_tokens) +
                out.queue_ms;
  out.total_ms = out.ttft_ms +
                 estimate.decode_ms_per_token * static_cast<double>(EstimatedOutputTokens(facts));
  return out;
}

}  // namespace lanewise::policy
