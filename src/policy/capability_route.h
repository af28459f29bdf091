// Routing by capability: which of a capability route's two lanes leads, from the
// request's difficulty and the objective's calibrated threshold (docs/policy.md).
//
// The objective: the request's (x-lanewise-objective / metadata.lanewise_objective) when
// it names a known one, else the route's. A route's strong_share is an operator's cap: a
// request may ask for fewer strong calls, never for more (the higher threshold wins).
// A request without a difficulty score goes to the weak lane. Which lanes the class
// allows is decided elsewhere, before and after this: this only orders the steps.
#pragma once

#include <string>
#include <vector>

#include "config/policy.h"
#include "core/facts.h"

namespace lanewise::policy {

struct CapabilityChoice {
  std::string objective;         // the objective applied; empty when only strong_share is
  std::string objective_source;  // "request" | "rule" | "strong_share"
  double strong_share = 0.0;     // the share the threshold was calibrated for
  double threshold = 0.0;        // strong when difficulty >= threshold
  bool strong = false;
  bool unscored = false;                   // difficulty -1: weak
  bool request_objective_unknown = false;  // the request named an objective that is not one
};

CapabilityChoice ChooseCapability(const config::CapabilityStrategy& strategy,
                                  const core::DifficultyCalibration& calibration,
                                  const core::Facts& facts);

// The route's steps in the order to try: the chosen lane, the other one, the fallbacks.
std::vector<config::RouteStep> CapabilityOrder(const config::RouteTarget& route, bool strong);

}  // namespace lanewise::policy
