// LaneStates: the executor's current view of each lane's health, as the policy sees it.
// A snapshot taken per request; the policy never calls out to get it.
#pragma once

#include <map>
#include <string>

namespace lanewise::core {

// What a lane's recent answers say about its speed (lanes/latency_model.h), and how busy it
// is now. The policy turns it into a prediction for one request (policy/latency_estimate.h).
struct LaneLatencyEstimate {
  int samples = 0;      // answers learned from; 0: nothing known yet
  double rtt_ms = 0.0;  // time to first token of an empty prompt (network, fixed)
  double prefill_ms_per_token = 0.0;
  double decode_ms_per_token = 0.0;
  double service_ms = 0.0;  // how long an answer holds a slot, on average (queue model)
  int in_flight = 0;        // requests this gateway has at the lane now
};

struct LaneState {
  bool reachable = true;        // false when health checks or the breaker say the lane is down
  double p50_latency_ms = 0.0;  // 0 when unknown
  LaneLatencyEstimate latency;
};

using LaneStates = std::map<std::string, LaneState, std::less<>>;

}  // namespace lanewise::core
