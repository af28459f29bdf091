// Reordering a plan whose attempts are all allowed already (the class filter ran first):
// session affinity and deadlines (docs/policy.md, "Latency and deadlines", "Sessions").
// Neither adds nor removes an attempt; both renumber roles (primary, fallback; a
// "degrade" attempt keeps its role) and add their reason codes to the decision.
#pragma once

#include <string>
#include <vector>

#include "core/route_decision.h"

namespace lanewise::policy {

// How far past a deadline the session's own lane may be predicted before the request
// leaves it (hysteresis: no flapping between turns).
inline constexpr double kAffinityHysteresis = 0.2;

// The lane that served the session's last turn leads, when it is in the plan
// ("session_affinity"); else "session_lane_unavailable". No-op without a session lane.
void ApplyAffinity(const std::string& session_lane, std::vector<core::PlannedAttempt>& plan,
                   core::RouteDecision* d);

// Attempts predicted to miss the deadline go after those predicted (or not known) to meet
// it, in their order ("deadline_reordered" when the first lane changed); when all miss,
// the fastest leads ("deadline_unmet"). The session's lane gets kAffinityHysteresis of
// slack. No-op without a deadline (<= 0).
void ApplyDeadline(long long deadline_ms, const std::string& session_lane,
                   std::vector<core::PlannedAttempt>& plan, core::RouteDecision* d);

}  // namespace lanewise::policy
