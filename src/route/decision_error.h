// DecisionError: the one place where a routing decision that serves nothing becomes the
// error a client gets. Both fronts (through api::Gateway) and the executor use it, so a
// refusal reads the same wherever it is noticed.
//
//   decision reason (policy::DecisionStatus)  ->  client code, HTTP status
//   unknown_model                              ->  model_not_found, 404 (OpenAI's own code)
//   unknown_data_class                         ->  unknown_data_class, 400
//   all_allowed_lanes_down                     ->  all_allowed_lanes_down, 502 (retryable)
//   anything else (no_allowed_lane, ...)       ->  no_route, 403
//
// The decision's own reasons stay in the decision record; the message names the first.
#pragma once

#include <string_view>

#include "core/route_decision.h"
#include "core/status.h"

namespace lanewise::route {

// Ok when the decision has a plan to walk. `model_alias` is the model the client asked for.
core::Status DecisionError(const core::RouteDecision& decision, std::string_view model_alias);

}  // namespace lanewise::route
