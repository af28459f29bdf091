#include "lanes/lane_health.h"

#include <algorithm>

namespace lanewise::lanes {
namespace {

constexpr double kLatencyWeight = 0.2;  // of the newest sample in the moving average

}  // namespace

LaneHealth::LaneHealth(Options options, std::function<Clock::time_point()> now)
    : options_(options), now_(std::move(now)) {}

void LaneHealth::SetOptions(Options options) {
  std::lock_guard lock(mutex_);
  options_ = options;
}

void LaneHealth::RecordSuccess(std::string_view lane, std::chrono::milliseconds latency) {
  std::lock_guard lock(mutex_);
  auto it = lanes_.find(lane);
  if (it == lanes_.end()) it = lanes_.emplace(std::string(lane), Breaker{}).first;
  Breaker& b = it->second;
  b.consecutive_failures = 0;
  b.open_until = {};
  b.next_open_for = std::chrono::milliseconds(0);
  const double sample = static_cast<double>(latency.count());
  b.latency_ms =
      b.latency_ms == 0.0 ? sample : (1 - kLatencyWeight) * b.latency_ms + kLatencyWeight * sample;
}

LaneHealth::Breaker& LaneHealth::At(std::string_view lane) {
  auto it = lanes_.find(lane);
  if (it == lanes_.end()) it = lanes_.emplace(std::string(lane), Breaker{}).first;
  return it->second;
}

int LaneHealth::BeginCall(std::string_view lane) {
  std::lock_guard lock(mutex_);
  return At(lane).in_flight++;
}

void LaneHealth::EndCall(std::string_view lane, bool release_slot) {
  {
    std::lock_guard lock(mutex_);
    Breaker& b = At(lane);
    b.in_flight = std::max(0, b.in_flight - 1);
  }
  if (release_slot) gate_.Release(lane);
}

void LaneHealth::RecordTiming(std::string_view lane, const LatencySample& sample) {
  std::lock_guard lock(mutex_);
  Breaker& b = At(lane);
  b.model.Add(sample);
  ++b.samples_added;
}

void LaneHealth::RecordFailure(std::string_view lane) {
  std::lock_guard lock(mutex_);
  auto it = lanes_.find(lane);
  if (it == lanes_.end()) it = lanes_.emplace(std::string(lane), Breaker{}).first;
  Breaker& b = it->second;
  if (options_.failures_to_open <= 0) return;  // breaker switched off
  const Clock::time_point now = now_();
  if (now < b.open_until) return;  // already open: a request that started before it opened
  ++b.consecutive_failures;
  const bool half_open = b.next_open_for.count() > 0;
  if (b.consecutive_failures < options_.failures_to_open && !half_open) return;
  // Open, or reopen after a failed trial for twice as long.
  b.next_open_for =
      half_open ? std::min(b.next_open_for * 2, options_.max_open_for) : options_.open_for;
  b.open_until = now + b.next_open_for;
}

core::LaneStates LaneHealth::Snapshot() const {
  std::lock_guard lock(mutex_);
  core::LaneStates states;
  const Clock::time_point now = now_();
  for (const auto& [name, b] : lanes_) {
    core::LaneState state;
    state.reachable = now >= b.open_until;
    state.p50_latency_ms = b.latency_ms;
    const std::uint64_t fresh = b.samples_added - b.samples_at_estimate;
    if (fresh > 0 && (b.samples_added <= LatencyModel::kWindow || fresh >= kRefreshEvery ||
                      now - b.estimated_at >= kRefreshAfter)) {
      b.estimate = b.model.Estimate();
      b.samples_at_estimate = b.samples_added;
      b.estimated_at = now;
    }
    state.latency = b.estimate;
    state.latency.in_flight = b.in_flight;
    states.emplace(name, state);
  }
  return states;
}

}  // namespace lanewise::lanes
