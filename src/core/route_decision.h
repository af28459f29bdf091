// RouteDecision: what the decision step returns for one request, before anything is sent.
// Every attempt of the plan has already been checked against the request's data class;
// the executor only ever walks this plan.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/cascade_settings.h"

namespace lanewise::core {

struct PlannedAttempt {
  std::string lane;                 // lane name from the config
  std::string upstream_model;       // model name sent to that lane
  std::string role;                 // "primary", "fallback", "escalation"
  bool redact = false;              // the request must be redacted before this attempt
  double estimated_cost_usd = 0.0;  // from the lane's price; 0 when it declares none
  // A cascade's first attempt: its answer is judged against RouteDecision::cascade and,
  // when doubtful, the next attempt of the plan (role "escalation") is tried.
  bool verify = false;
  // The lane's latency model for this request (policy/latency_estimate.h); -1: unknown.
  double predicted_ttft_ms = -1.0;
  double predicted_total_ms = -1.0;
};

struct RouteDecision {
  std::string decision_id;
  bool no_route = false;             // nothing may serve this request: fail closed
  std::vector<PlannedAttempt> plan;  // ordered; empty when no_route
  std::vector<std::string> reasons;  // snake_case reason codes, most important first
  std::string data_class;            // empty until inspection assigns one
  std::string detected_data_class;   // from inspection alone, before any declaration
  std::string route_source;          // "rule:<name>" | "default" | "alias" | "" (no route)
  std::string policy_version;        // content hash of the config that decided
  bool redaction_required = false;
  bool evidence_required = false;
  std::chrono::system_clock::time_point created_at;

  // Capability and cost (docs/policy.md): the request's difficulty (-1: unscored); for a
  // capability route the objective and threshold applied (else empty and -1); the first
  // attempt's estimated cost and what the strong lane would have cost (for other routes,
  // the first attempt's again).
  double difficulty = -1.0;
  std::string objective;
  double difficulty_threshold = -1.0;
  double estimated_cost_usd = 0.0;
  double strong_cost_usd = 0.0;

  // Set when the plan's first attempt is a cascade's first lane and an escalation
  // attempt follows it (docs/policy.md, "Cascades").
  std::optional<CascadeSettings> cascade;

  // The deadline the plan was ordered for (the request's, else its latency tier's in the
  // policy); 0: none.
  long long deadline_ms = 0;
};

}  // namespace lanewise::core
