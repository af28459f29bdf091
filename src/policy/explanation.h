// Explanation: how a routing decision was reached, for `POST /v1/lanewise/explain`,
// `lanewise explain` and debugging. Built by policy::Decide on request; holds entity
// types and counts, thresholds and names, never an entity's value or any prompt text.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/facts.h"
#include "core/route_decision.h"

namespace lanewise::policy {

// One reason the class is what it is.
struct ClassEvidence {
  std::string source;      // default | score | level | entity | declared | tenant_floor
  std::string class_name;  // the class this evidence asks for
  std::string detail;      // e.g. "CREDIT_CARD x2 (min 1)", "score 0.72 >= 0.6"
};

struct ClassVerdict {
  std::string detected;   // from inspection facts and the thresholds
  std::string declared;   // as the client sent it; empty when none
  std::string effective;  // what the decision uses; empty when the declared class is unknown
  bool declared_unknown = false;
  bool declared_raised = false;         // the declaration made the class more sensitive
  bool declared_lowered = false;        // a tenant allowed to lower did so
  bool declared_lower_ignored = false;  // a lower declaration that was not honoured
  bool tenant_floor_applied = false;
  bool session_floor_applied = false;  // an earlier turn of the session was more sensitive
  std::vector<ClassEvidence> evidence;
};

struct RuleTrace {
  std::string name;
  // chosen | not_matched | no_allowed_lane | all_lanes_down | not_evaluated
  std::string outcome;
  std::string why_not;                       // for not_matched: the first failing condition
  std::vector<std::string> forbidden_lanes;  // steps the class forbids
  std::vector<std::string> down_lanes;       // allowed steps skipped because the lane is down
};

struct LaneVerdict {
  std::string name;
  std::string kind;    // local | private | managed
  std::string access;  // forbidden | allowed | redact (for the effective class)
  bool reachable = true;
  bool in_plan = false;
};

// A capability route's choice (docs/policy.md, "Routing by capability").
struct CapabilityVerdict {
  bool applied = false;  // the winning route was a capability route
  double difficulty = -1.0;
  std::string objective;            // empty when only strong_share applied
  std::string objective_source;     // request | rule | strong_share
  std::string requested_objective;  // as the request named it (maybe unknown)
  double strong_share = 0.0;
  double threshold = 0.0;
  std::string choice;  // strong | weak
  std::string why;     // e.g. "difficulty 0.71 >= threshold 0.63"
};

// One step of the winning route: its estimated cost and why it won or lost.
struct CandidateVerdict {
  std::string lane;
  std::string role;  // weak | strong | first | then (cascade) | target | fallback
  double estimated_cost_usd = 0.0;
  // chosen | fallback | escalation (a cascade's) | forbidden | down | over_cost_cap
  std::string outcome;
  std::string why;
  // The lane's latency model for this request; -1: not known yet.
  double predicted_ttft_ms = -1.0;
  double predicted_total_ms = -1.0;
  double predicted_queue_ms = 0.0;
};

struct Explanation {
  ClassVerdict data_class;
  CapabilityVerdict capability;
  std::vector<CandidateVerdict> candidates;
  std::vector<RuleTrace> rules;    // in policy order
  std::string route_source;        // "rule:<name>" | "default" | "alias" | "" when no route
  std::vector<LaneVerdict> lanes;  // every configured lane, config order
};

boost::json::object ToJson(const core::RouteDecision& decision);
boost::json::object ToJson(const Explanation& explanation);
// The facts the policy looked at, without values: entity counts by type, scores, hints.
boost::json::object FactsToJson(const core::Facts& facts);

}  // namespace lanewise::policy
