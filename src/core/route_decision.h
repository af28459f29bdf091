// RouteDecision: what the decision step returns for one request, before anything is sent.
// Every attempt of the plan has already been checked against the request's data class;
// the executor only ever walks this plan.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace lanewise::core {

struct PlannedAttempt {
  std::string lane;            // lane name from the config
  std::string upstream_model;  // model name sent to that lane
  std::string role;            // "primary", "fallback", "escalation"
  bool redact = false;         // the request must be redacted before this attempt
};

struct RouteDecision {
  std::string decision_id;
  bool no_route = false;             // nothing may serve this request: fail closed
  std::vector<PlannedAttempt> plan;  // ordered; empty when no_route
  std::vector<std::string> reasons;  // snake_case reason codes, most important first
  std::string data_class;            // empty until inspection assigns one
  std::string policy_version;        // content hash of the config that decided
  bool redaction_required = false;
  bool evidence_required = false;
  std::chrono::system_clock::time_point created_at;
};

}  // namespace lanewise::core
