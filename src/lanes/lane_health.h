// LaneHealth: a circuit breaker per lane, fed by the executor's attempt outcomes, read by
// the policy as core::LaneStates (so a lane that keeps failing is skipped in the plan
// instead of being waited on by every request).
//
// A lane opens after `failures_to_open` consecutive failures of the kind another lane
// may not share (unreachable, reset, timeout, 429/5xx: route::ShouldFallBack). While open
// it is reported unreachable. After `open_for` it is reported reachable again
// (half-open): the next outcome closes it, or reopens it for twice as long (at most
// `max_open_for`). Successes also feed a per-lane latency estimate (EWMA of time to
// answer or to first event) and the latency model (in-flight calls, timings).
//
// Thread-safe; lives as long as the server (outlasts config reloads; lanes by name).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/lane_state.h"
#include "lanes/lane_gate.h"
#include "lanes/latency_model.h"

namespace lanewise::lanes {

struct LaneHealthOptions {
  int failures_to_open = 3;  // 0: never open
  std::chrono::milliseconds open_for{5000};
  std::chrono::milliseconds max_open_for{60000};
};

class LaneHealth {
 public:
  using Clock = std::chrono::steady_clock;
  using Options = LaneHealthOptions;

  LaneHealth() : LaneHealth(Options{}) {}
  explicit LaneHealth(
      Options options, std::function<Clock::time_point()> now = [] { return Clock::now(); });

  // New settings (a config reload); breakers keep their state.
  void SetOptions(Options options);

  void RecordSuccess(std::string_view lane, std::chrono::milliseconds latency);
  void RecordFailure(std::string_view lane);

  // Load and speed, for the latency model (lanes/latency_model.h): a call to the lane
  // starts (returns how many were in flight before it) and ends; an answer's timing.
  int BeginCall(std::string_view lane);
  // `release_slot`: the call held a slot of the lane's gate (capacity), freed now.
  void EndCall(std::string_view lane, bool release_slot = false);
  // Per-lane admission (capacity: max_concurrency, queue); thread-safe itself.
  LaneGate& gate() { return gate_; }
  void RecordTiming(std::string_view lane, const LatencySample& sample);

  // Every lane seen so far; lanes never seen count as reachable (policy default).
  core::LaneStates Snapshot() const;

 private:
  struct Breaker {
    int consecutive_failures = 0;
    Clock::time_point open_until{};
    std::chrono::milliseconds next_open_for{0};
    double latency_ms = 0.0;  // EWMA; 0 = unknown
    int in_flight = 0;
    LatencyModel model;
    // The model's estimate as of `samples_at_estimate` samples (Snapshot runs for every
    // request; the fit is refreshed while the window fills, then every kRefreshEvery
    // samples or kRefreshAfter, whichever comes first).
    std::uint64_t samples_added = 0;
    mutable core::LaneLatencyEstimate estimate;  // a cache, refreshed under mutex_
    mutable std::uint64_t samples_at_estimate = 0;
    mutable Clock::time_point estimated_at{};
  };
  static constexpr std::uint64_t kRefreshEvery = 16;
  static constexpr std::chrono::milliseconds kRefreshAfter{100};
  Breaker& At(std::string_view lane);  // mutex_ held

  Options options_;
  std::function<Clock::time_point()> now_;
  mutable std::mutex mutex_;
  std::map<std::string, Breaker, std::less<>> lanes_;
  LaneGate gate_;
};

}  // namespace lanewise::lanes
