// policy.redaction and a class's minimum_context: how values are rewritten before they
// cross to a lane that may only receive them redacted, and how much context goes there.
#include "config/env_expand.h"
#include "config/policy_loader.h"

namespace lanewise::config {
namespace {

constexpr std::size_t kMinKeyBytes = 16;

RedactionOperator ParseOperator(const NodeRef& node) {
  const std::string name = node.OneOf({"placeholder", "mask", "hash", "drop"});
  if (name == "mask") return RedactionOperator::kMask;
  if (name == "hash") return RedactionOperator::kHash;
  if (name == "drop") return RedactionOperator::kDrop;
  return RedactionOperator::kPlaceholder;
}

OperatorRule ReadOperatorRule(const NodeRef& node, const Policy& policy) {
  node.ExpectMap();
  node.RejectUnknownKeys({"types", "classes", "operator"});
  OperatorRule rule;
  const NodeRef types = node.Require("types");
  for (const NodeRef& t : types.IsScalar() ? std::vector<NodeRef>{types} : types.Items()) {
    rule.types.push_back(EntityTypeOrWildcard(t));
  }
  if (rule.types.empty()) types.Fail("expected at least one entity type (or \"*\")");
  if (auto classes = node.Find("classes")) {
    for (const NodeRef& c :
         classes->IsScalar() ? std::vector<NodeRef>{*classes} : classes->Items()) {
      rule.classes.push_back(ReadClassRank(c, policy));
    }
  }
  rule.op = ParseOperator(node.Require("operator"));
  return rule;
}

}  // namespace

RedactionPolicy ReadRedaction(const NodeRef& node, const Policy& policy,
                              const LoadOptions& options) {
  node.ExpectMap();
  node.RejectUnknownKeys({"key_env", "operators"});
  RedactionPolicy redaction;
  if (auto n = node.Find("key_env")) {
    redaction.key_env = n->NonEmptyString();
    redaction.key = ReadEnvSecret(*n, options, kMinKeyBytes);
  }
  if (auto operators = node.Find("operators")) {
    for (const NodeRef& item : operators->Items()) {
      redaction.operators.push_back(ReadOperatorRule(item, policy));
    }
  }
  return redaction;
}

MinimumContext ReadMinimumContext(const NodeRef& node) {
  node.ExpectMap();
  node.RejectUnknownKeys({"last_turns", "strip_system"});
  MinimumContext context;
  if (auto n = node.Find("last_turns")) context.last_turns = static_cast<int>(n->Int(1, 100000));
  if (auto n = node.Find("strip_system")) context.strip_system = n->Bool();
  return context;
}

}  // namespace lanewise::config
