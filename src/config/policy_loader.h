// Reading the `policy:` section (docs/policy.md). Internal to the config loader: these
// functions throw ConfigError (yaml_reader.h) and run after the lanes are validated.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "config/config_loader.h"
#include "config/policy.h"
#include "config/yaml_reader.h"

namespace lanewise::config {

// The whole section; `config` holds the validated lanes.
Policy ReadPolicy(const NodeRef& node, const Config& config, const LoadOptions& options);

// Parts, one file each.
void ReadRules(const NodeRef& node, const Config& config, Policy* policy);
RouteTarget ReadRouteTarget(const NodeRef& node, const Config& config,
                            const RuleCondition* condition, const Policy& policy);
inspect::InspectorOptions ReadInspection(const NodeRef& node, const LoadOptions& options);
RedactionPolicy ReadRedaction(const NodeRef& node, const Policy& policy,
                              const LoadOptions& options);
MinimumContext ReadMinimumContext(const NodeRef& node);
// The difficulty model's directory (inspection.difficulty_dir, else data/difficulty when
// it exists): fills policy->difficulty_calibration and inspection.difficulty_weights.
void ReadDifficulty(const std::optional<NodeRef>& inspection, const LoadOptions& options,
                    Policy* policy);
LanePrice ReadLanePrice(const NodeRef& node);  // a lane's `price:`

// Shared helpers.
// The value of the environment variable that `node` names (a secret: API or HMAC key);
// fails, located, when the name is invalid or the value unset, empty or too short.
std::string ReadEnvSecret(const NodeRef& node, const LoadOptions& options, std::size_t min_bytes);
int ReadClassRank(const NodeRef& node, const Policy& policy);  // a class name -> its rank
bool IsPolicyName(std::string_view name);                      // [a-z0-9_-]{1,64}
bool IsEntityType(std::string_view type);                      // [A-Z0-9_]{1,64}
std::string EntityTypeOrWildcard(const NodeRef& node);         // IsEntityType or "*"

}  // namespace lanewise::config
