// Policy: the immutable, validated `policy:` section of the config (docs/policy.md).
//
// Part of the Config snapshot (and so of its version hash); built once by the loader and
// then only read, by policy::Decide and by the inspector (inspection options). Lane
// references are resolved to indexes into Config::lanes at load time, so a Policy is only
// meaningful together with the Config that holds it.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cascade_settings.h"
#include "core/chat_request.h"
#include "core/difficulty_calibration.h"
#include "inspect/inspector_options.h"

namespace lanewise::config {

enum class LaneKind;

// What may cross to a lane that is not `local`.
enum class Crossing { kDeny, kRedact, kAllow };
std::string_view CrossingName(Crossing crossing);

// What happens to one detected value before a request crosses to a lane that may only
// receive it redacted (docs/redaction.md).
enum class RedactionOperator {
  kPlaceholder,  // reversible: [TYPE_tag], restored in the answer
  kMask,         // every letter and digit but the last four becomes '*'
  kHash,         // [TYPE#hash]: keyed, stable, irreversible
  kDrop,         // removed
};
std::string_view RedactionOperatorName(RedactionOperator op);

// The first rule whose types and classes both match a value picks its operator.
struct OperatorRule {
  std::vector<std::string> types;  // entity types, "*" = any; never empty
  std::vector<int> classes;        // class ranks; empty = every class
  RedactionOperator op = RedactionOperator::kPlaceholder;
};

struct RedactionPolicy {
  // Name of the environment variable holding the HMAC key (at least 16 bytes); empty:
  // a random key made once per process, so placeholders change across restarts.
  std::string key_env;
  std::string key;  // resolved at load time; never logged or hashed into the version
  std::vector<OperatorRule> operators;
  RedactionOperator OperatorFor(std::string_view type, int class_rank) const;
};

// What a non-local lane is sent at most, for a class (the seeds' BUILD_MINIMUM_CONTEXT).
struct MinimumContext {
  int last_turns = 0;         // 0 = every turn; else only the last N non-system messages
  bool strip_system = false;  // drop system (and developer) messages
  bool active() const { return last_turns > 0 || strip_system; }
};

// What one data class permits on one lane.
enum class LaneAccess { kForbidden, kAllowed, kAllowedWithRedaction };

struct DataClass {
  std::string name;
  int rank = 0;  // position in data_classes: 0 is the least sensitive
  // The selector as written; both empty means every lane.
  std::vector<std::string> lane_names;
  std::vector<LaneKind> lane_kinds;
  Crossing private_crossing = Crossing::kDeny;
  Crossing managed_crossing = Crossing::kDeny;
  bool evidence_required = false;
  MinimumContext minimum_context;  // applied to attempts on non-local lanes
  // Resolved: one entry per Config::lanes, same order.
  std::vector<LaneAccess> access;

  bool Allows(std::size_t lane_index) const {
    return lane_index < access.size() && access[lane_index] != LaneAccess::kForbidden;
  }
  bool LocalOnly() const {
    return private_crossing == Crossing::kDeny && managed_crossing == Crossing::kDeny;
  }
};

// Inspection facts -> the least class a request must have. The detected class is the most
// sensitive of the default and of every threshold that matches.
struct ScoreThreshold {
  double min_score = 0;  // facts.sensitivity_score >= min_score
  int class_rank = 0;
};
struct LevelThreshold {
  int min_level = 0;  // facts.max_entity_sensitivity >= min_level
  int class_rank = 0;
};
struct EntityThreshold {
  std::vector<std::string> types;  // any of these, "*" = any type
  int min_count = 1;               // occurrences of one of the types
  int class_rank = 0;
};
struct Classification {
  int default_rank = 0;
  std::vector<ScoreThreshold> by_score;
  std::vector<LevelThreshold> by_level;
  std::vector<EntityThreshold> by_entity;
};

struct TenantPolicy {
  std::string name;
  bool may_lower_class = false;  // the declared class replaces the detected one
  int min_rank = 0;              // floor for every request of the tenant
};

// One attempt of a route: a lane and, optionally, the upstream model to send it.
struct RouteStep {
  std::string lane;
  std::size_t lane_index = 0;  // into Config::lanes
  std::string model;           // empty: the lane's model for the alias, else its first model
};

// `strategy: capability`: the weak or the strong lane leads, by the request's difficulty
// against the threshold of the objective (or of strong_share) on the calibration.
struct CapabilityStrategy {
  std::string objective = "balanced";  // used when the request names none
  std::optional<double> strong_share;  // instead of the objective's share, when set
};

// steps[0] is the target, the rest the fallback chain, in order. With a capability
// strategy, steps[0] is the weak lane and steps[1] the strong one; the decision puts the
// chosen one first and the other second, then the fallbacks. With a cascade strategy,
// steps[0] is `first` (served and judged) and steps[1] `then` (the escalation).
struct RouteTarget {
  std::vector<RouteStep> steps;
  std::optional<CapabilityStrategy> capability;
  std::optional<core::CascadeSettings> cascade;
};

// Every condition present must hold; absent conditions match anything.
struct RuleCondition {
  std::vector<int> classes;  // class ranks, any of
  std::optional<int> class_at_least;
  std::optional<int> class_at_most;
  std::vector<std::string> entity_types;  // any present ("*": any entity at all)
  std::vector<std::string> models;        // requested alias, any of
  std::vector<core::LatencyTier> latency;
  std::vector<std::string> tenants;
  std::optional<std::size_t> min_input_tokens;
  std::optional<std::size_t> max_input_tokens;
  std::optional<double> min_difficulty;  // never matches an unscored request (-1)
  std::optional<double> max_difficulty;
  std::optional<bool> needs_tools;
  std::optional<bool> needs_vision;

  // Whether a request of class `rank` can ever satisfy the class conditions.
  bool ClassCanMatch(int rank) const;
};

struct Rule {
  std::string name;
  RuleCondition when;
  RouteTarget route;
  // Attempts whose estimated cost is higher are dropped; a rule left with none is skipped.
  std::optional<double> max_cost_usd;
};

struct Policy {
  std::vector<DataClass> classes;  // ordered by rank
  Classification classification;
  std::map<std::string, TenantPolicy, std::less<>> tenants;
  std::vector<Rule> rules;                   // first usable match wins
  std::optional<RouteTarget> default_route;  // absent: route by the requested alias
  // Aliases named by rules (`when.models`) that no lane serves: virtual aliases such as
  // "auto", valid only through the rules.
  std::vector<std::string> virtual_aliases;
  inspect::InspectorOptions inspection;
  RedactionPolicy redaction;
  // From data/difficulty/calibration.txt (inspection.difficulty_dir); empty when the
  // difficulty model is not configured, which capability routes refuse.
  core::DifficultyCalibration difficulty_calibration;
  // policy.latency_tiers: the deadline (ms) a request of each tier gets when it gives
  // none itself (x-lanewise-deadline-ms); absent tiers: none.
  std::map<core::LatencyTier, long long> tier_deadline_ms;

  const DataClass* FindClass(std::string_view name) const;
  const TenantPolicy* FindTenant(std::string_view name) const;
};

std::string_view LatencyTierName(core::LatencyTier tier);

}  // namespace lanewise::config
