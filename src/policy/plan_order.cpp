#include "policy/plan_order.h"

#include <algorithm>

namespace lanewise::policy {
namespace {

// Roles after a reorder: the first is primary, the others fallbacks; degrade keeps its own.
void Renumber(std::vector<core::PlannedAttempt>& plan) {
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (i == 0 || plan[i].role != "degrade") plan[i].role = i == 0 ? "primary" : "fallback";
  }
}

}  // namespace

void ApplyAffinity(const std::string& session_lane, std::vector<core::PlannedAttempt>& plan,
                   core::RouteDecision* d) {
  if (session_lane.empty() || plan.empty()) return;
  auto it = std::find_if(plan.begin(), plan.end(),
                         [&](const core::PlannedAttempt& a) { return a.lane == session_lane; });
  if (it == plan.end()) {
    d->reasons.push_back("session_lane_unavailable");
    return;
  }
  if (it != plan.begin()) {
    std::rotate(plan.begin(), it, it + 1);
    Renumber(plan);
  }
  d->reasons.push_back("session_affinity");
}

void ApplyDeadline(long long deadline_ms, const std::string& session_lane,
                   std::vector<core::PlannedAttempt>& plan, core::RouteDecision* d) {
  if (deadline_ms <= 0 || plan.size() < 2) return;
  const std::string first = plan.front().lane;
  auto misses = [&](const core::PlannedAttempt& a) {
    const double slack = a.lane == session_lane ? 1.0 + kAffinityHysteresis : 1.0;
    return a.predicted_total_ms >= 0 &&
           a.predicted_total_ms > slack * static_cast<double>(deadline_ms);
  };
  if (std::all_of(plan.begin(), plan.end(), misses)) {
    std::stable_sort(plan.begin(), plan.end(),
                     [](const core::PlannedAttempt& a, const core::PlannedAttempt& b) {
                       return a.predicted_total_ms < b.predicted_total_ms;
                     });
    d->reasons.push_back("deadline_unmet");
  } else {
    std::stable_partition(plan.begin(), plan.end(),
                          [&](const core::PlannedAttempt& a) { return !misses(a); });
  }
  Renumber(plan);
  if (plan.front().lane != first) d->reasons.push_back("deadline_reordered");
}

}  // namespace lanewise::policy
