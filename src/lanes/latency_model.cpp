#include "lanes/latency_model.h"

#include <algorithm>
#include <vector>

namespace lanewise::lanes {

void LatencyModel::Add(const LatencySample& sample) {
  samples_.push_back(sample);
  if (samples_.size() > kWindow) samples_.pop_front();
}

core::LaneLatencyEstimate LatencyModel::Estimate() const {
  core::LaneLatencyEstimate out;
  // Least squares of ttft on prompt tokens over the answers that did not queue.
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  double service_sum = 0, service_n = 0;
  std::vector<double> decode;
  for (const LatencySample& s : samples_) {
    if (s.queued) continue;
    service_sum += s.total_ms;
    service_n += 1;
    if (s.ttft_ms < 0) continue;
    n += 1;
    sx += s.prompt_tokens;
    sy += s.ttft_ms;
    sxx += s.prompt_tokens * s.prompt_tokens;
    sxy += s.prompt_tokens * s.ttft_ms;
  }
  for (const LatencySample& s : samples_) {
    if (s.ttft_ms >= 0 && s.output_tokens >= 1) {
      decode.push_back(std::max(0.0, s.total_ms - s.ttft_ms) / s.output_tokens);
    }
  }
  out.samples = static_cast<int>(n);
  if (n > 0) {
    const double var = n * sxx - sx * sx;
    if (n >= 2 && var > 1e-9 * n * n) {
      out.prefill_ms_per_token = std::max(0.0, (n * sxy - sx * sy) / var);
    }
    out.rtt_ms = std::max(0.0, (sy - out.prefill_ms_per_token * sx) / n);
  }
  if (!decode.empty()) {
    auto mid = decode.begin() + static_cast<std::ptrdiff_t>(decode.size() / 2);
    std::nth_element(decode.begin(), mid, decode.end());
    out.decode_ms_per_token = *mid;
  }
  if (service_n > 0) out.service_ms = service_sum / service_n;
  return out;
}

}  // namespace lanewise::lanes
