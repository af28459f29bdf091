// A test-side model of a random config: rendered to YAML for the real loader, and used
// as an independent oracle for what policy::Decide may and must do.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/facts.h"
#include "core/lane_state.h"

namespace lanewise::property {

struct MLane {
  std::string name;
  std::string kind;  // local | private | managed
  std::vector<std::string> aliases;
};

struct MClass {
  std::string name;
  std::vector<std::string> lanes;  // selector by name
  std::vector<std::string> kinds;  // selector by kind
  std::string private_crossing = "deny";
  std::string managed_crossing = "deny";
  bool evidence = false;
};

struct MStep {
  std::string lane;
  std::string model;  // empty: per alias
};

struct MRule {
  std::string name;
  std::vector<int> classes;
  std::optional<int> at_least, at_most;
  std::vector<std::string> entities, models, tenants;
  std::vector<core::LatencyTier> latency;
  std::optional<std::size_t> min_tokens, max_tokens;
  std::optional<double> min_difficulty, max_difficulty;
  std::optional<bool> needs_tools;
  std::vector<MStep> steps;
};

struct MTenant {
  std::string name;
  bool may_lower = false;
  std::optional<int> min_class;
};

struct MScore {
  double min;
  int cls;
};
struct MLevel {
  int min;
  int cls;
};
struct MEntity {
  std::vector<std::string> types;
  int min_count;
  int cls;
};

struct MPolicy {
  std::vector<MClass> classes;
  int default_class = 0;
  std::vector<MScore> by_score;
  std::vector<MLevel> by_level;
  std::vector<MEntity> by_entity;
  std::vector<MTenant> tenants;
  std::vector<MRule> rules;
  std::optional<std::vector<MStep>> default_route;
};

struct MConfig {
  std::vector<MLane> lanes;
  std::optional<MPolicy> policy;

  std::string ToYaml() const;
  const MLane* Lane(const std::string& name) const;
};

// Entity types and aliases the generators draw from.
extern const std::vector<std::string> kEntityTypes;
extern const std::vector<std::string> kAliases;  // lanes serve some; rules may add "auto"

MConfig RandomConfig(std::mt19937_64& rng);
core::Facts RandomFacts(std::mt19937_64& rng, const MConfig& config);
core::LaneStates RandomLaneStates(std::mt19937_64& rng, const MConfig& config);

// The oracle.
enum class Access { kForbidden, kAllowed, kRedact };
Access ClassAccess(const MConfig& config, const MClass& cls, const MLane& lane);
int EntityCount(const core::Facts& facts, const std::string& type);
int DetectedClass(const MPolicy& policy, const core::Facts& facts);
bool RuleMatches(const MRule& rule, const core::Facts& facts, int class_index);

}  // namespace lanewise::property
