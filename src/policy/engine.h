// policy::Decide: the routing decision, a pure function of the request's facts, the
// config snapshot and the lanes' health (docs/policy.md).
//
// No I/O, no locks, no global state; the clock is read at most once (when ctx.now is not
// given) and a random id drawn only when ctx.decision_id is empty. Safe on any thread.
//
// Guarantees, whatever the policy says:
//   - every attempt of the plan uses a lane the request's data class allows, and an
//     attempt on a non-local lane under `redact` has redact = true;
//   - a declared class raises the detected class and never lowers it, unless the tenant
//     has may_lower_class;
//   - no_route is true (and the plan empty) exactly when no allowed, reachable lane is
//     among the candidates (matching rules, then the default or the alias's lanes).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "config/config.h"
#include "core/facts.h"
#include "core/lane_state.h"
#include "core/route_decision.h"
#include "core/status.h"
#include "policy/explanation.h"

namespace lanewise::policy {

struct DecideContext {
  std::string decision_id;                      // empty: a fresh "dec_" id
  std::chrono::system_clock::time_point now{};  // epoch (default): read the clock once
};

// Lanes missing from `lanes` count as reachable.
core::RouteDecision Decide(const core::Facts& facts, const config::Config& config,
                           const core::LaneStates& lanes, const DecideContext& ctx);

// The same decision; also fills `explanation` when it is not null.
core::RouteDecision Decide(const core::Facts& facts, const config::Config& config,
                           const core::LaneStates& lanes, const DecideContext& ctx,
                           Explanation* explanation);

// How a front reports a decision: Ok when there is a plan; otherwise
//   unknown_data_class -> InvalidArgument (400), unknown_model -> NotFound (404),
//   anything else      -> PermissionDenied (403);
// the Status reason is the decision's first reason code.
core::Status DecisionStatus(const core::RouteDecision& decision);

// {"decision": ..., "class": ..., "rules": [...], "route_source": ..., "lanes": [...],
//  "facts": ..., "policy_version": ...}: everything explain needs, no entity values.
boost::json::object ExplainDecision(const core::Facts& facts, const config::Config& config,
                                    const core::LaneStates& lanes, const DecideContext& ctx);

// Reason codes (snake_case; "rule:<name>" names the rule that chose the plan).
namespace reason {
inline constexpr const char* kUnknownDataClass = "unknown_data_class";
inline constexpr const char* kUnknownModel = "unknown_model";
inline constexpr const char* kNoAllowedLane = "no_allowed_lane";
inline constexpr const char* kAllowedLanesDown = "all_allowed_lanes_down";
inline constexpr const char* kAliasNotAllowedForClass = "alias_not_allowed_for_class";
inline constexpr const char* kDeclaredClassRaised = "declared_class_raised";
inline constexpr const char* kDeclaredClassLowered = "declared_class_lowered";
inline constexpr const char* kDeclaredClassLowerIgnored = "declared_class_lower_ignored";
inline constexpr const char* kTenantClassFloor = "tenant_class_floor";
inline constexpr const char* kDefaultRoute = "default_route";
inline constexpr const char* kAliasRoute = "alias_route";
inline constexpr const char* kLaneDownSkipped = "lane_down_skipped";
inline constexpr const char* kLaneForbiddenSkipped = "lane_forbidden_skipped";
inline constexpr const char* kRedactionRequired = "redaction_required";
inline constexpr const char* kNoPolicy = "no_policy";
inline constexpr const char* kOverCostCapSkipped = "over_cost_cap_skipped";
// Capability routes add "capability_strong" or "capability_weak", and when they apply
// "difficulty_unscored", "objective_unknown_ignored", "strong_lane_unavailable".
// Plus "class_<name>_local_only" when the class keeps data on local lanes.
}  // namespace reason

}  // namespace lanewise::policy
