#include "config/policy.h"

#include <algorithm>

namespace lanewise::config {

std::string_view CrossingName(Crossing crossing) {
  switch (crossing) {
    case Crossing::kDeny:
      return "deny";
    case Crossing::kRedact:
      return "redact";
    case Crossing::kAllow:
      return "allow";
  }
  return "unknown";
}

std::string_view RedactionOperatorName(RedactionOperator op) {
  switch (op) {
    case RedactionOperator::kPlaceholder:
      return "placeholder";
    case RedactionOperator::kMask:
      return "mask";
    case RedactionOperator::kHash:
      return "hash";
    case RedactionOperator::kDrop:
      return "drop";
  }
  return "unknown";
}

RedactionOperator RedactionPolicy::OperatorFor(std::string_view type, int class_rank) const {
  for (const OperatorRule& rule : operators) {
    const bool type_matches =
        std::any_of(rule.types.begin(), rule.types.end(),
                    [&](const std::string& t) { return t == "*" || t == type; });
    const bool class_matches =
        rule.classes.empty() ||
        std::find(rule.classes.begin(), rule.classes.end(), class_rank) != rule.classes.end();
    if (type_matches && class_matches) return rule.op;
  }
  return RedactionOperator::kPlaceholder;
}

std::string_view LatencyTierName(core::LatencyTier tier) {
  switch (tier) {
    case core::LatencyTier::kUnspecified:
      return "unspecified";
    case core::LatencyTier::kInteractive:
      return "interactive";
    case core::LatencyTier::kBackground:
      return "background";
    case core::LatencyTier::kBatch:
      return "batch";
  }
  return "unknown";
}

bool RuleCondition::ClassCanMatch(int rank) const {
  if (!classes.empty() && std::find(classes.begin(), classes.end(), rank) == classes.end()) {
    return false;
  }
  if (class_at_least.has_value() && rank < *class_at_least) return false;
  if (class_at_most.has_value() && rank > *class_at_most) return false;
  return true;
}

const DataClass* Policy::FindClass(std::string_view name) const {
  for (const DataClass& c : classes) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const TenantPolicy* Policy::FindTenant(std::string_view name) const {
  auto it = tenants.find(name);
  return it == tenants.end() ? nullptr : &it->second;
}

}  // namespace lanewise::config
