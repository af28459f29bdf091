// LaneStates: the executor's current view of each lane's health, as the policy sees it.
// A snapshot taken per request; the policy never calls out to get it.
#pragma once

#include <map>
#include <string>

namespace lanewise::core {

struct LaneState {
  bool reachable = true;        // false when health checks or the breaker say the lane is down
  double p50_latency_ms = 0.0;  // 0 when unknown
};

using LaneStates = std::map<std::string, LaneState, std::less<>>;

}  // namespace lanewise::core
