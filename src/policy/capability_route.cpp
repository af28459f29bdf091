#include "policy/capability_route.h"

#include <algorithm>

namespace lanewise::policy {

CapabilityChoice ChooseCapability(const config::CapabilityStrategy& strategy,
                                  const core::DifficultyCalibration& calibration,
                                  const core::Facts& facts) {
  CapabilityChoice choice;
  const bool request_named = !facts.objective.empty();
  const bool request_valid = request_named && core::IsObjectiveName(facts.objective);
  choice.request_objective_unknown = request_named && !request_valid;
  if (request_valid) {
    choice.objective = facts.objective;
    choice.objective_source = "request";
  } else if (!strategy.strong_share.has_value()) {
    choice.objective = strategy.objective;
    choice.objective_source = "rule";
  } else {
    choice.objective_source = "strong_share";
  }
  if (!choice.objective.empty()) {
    choice.strong_share = calibration.ShareForObjective(choice.objective).value_or(0.0);
  }
  if (strategy.strong_share.has_value() &&
      (choice.objective.empty() || *strategy.strong_share < choice.strong_share)) {
    // The operator's cap holds against a request asking for more strong calls.
    choice.strong_share = *strategy.strong_share;
    if (!choice.objective.empty()) choice.objective_source = "strong_share";
  }
  choice.threshold = calibration.ThresholdForShare(choice.strong_share);
  choice.unscored = facts.difficulty < 0.0;
  choice.strong = !choice.unscored && facts.difficulty >= choice.threshold;
  return choice;
}

std::vector<config::RouteStep> CapabilityOrder(const config::RouteTarget& route, bool strong) {
  std::vector<config::RouteStep> steps = route.steps;
  if (strong && steps.size() >= 2) std::swap(steps[0], steps[1]);
  return steps;
}

}  // namespace lanewise::policy
