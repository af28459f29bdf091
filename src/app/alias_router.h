// AliasRouter: the decision used when the config has no policy: the requested model
// alias names one lane and one upstream model, data class "public", no fallbacks.
// It has the same shape as the policy engine's decision, which replaces it when a
// policy is configured.
#pragma once

#include "config/config.h"
#include "core/facts.h"
#include "core/lane_state.h"
#include "core/result.h"
#include "core/route_decision.h"

namespace lanewise::app {

core::Result<core::RouteDecision> RouteByAlias(const config::Config& config,
                                               const core::Facts& facts,
                                               const core::LaneStates& lanes);

}  // namespace lanewise::app
