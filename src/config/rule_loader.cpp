// policy.rules and policy.default: conditions, targets and fallback chains.
#include <algorithm>
#include <set>

#include "config/policy_loader.h"

namespace lanewise::config {
namespace {

std::vector<NodeRef> ListOrOne(const NodeRef& node) {
  return node.IsScalar() ? std::vector<NodeRef>{node} : node.Items();
}

core::LatencyTier ReadTier(const NodeRef& node) {
  const std::string tier = node.OneOf({"interactive", "background", "batch", "unspecified"});
  if (tier == "interactive") return core::LatencyTier::kInteractive;
  if (tier == "background") return core::LatencyTier::kBackground;
  if (tier == "batch") return core::LatencyTier::kBatch;
  return core::LatencyTier::kUnspecified;
}

RuleCondition ReadCondition(const NodeRef& node, const Config& config, Policy* policy) {
  RuleCondition when;
  if (node.IsNull()) return when;
  node.RejectUnknownKeys({"class", "class_at_least", "class_at_most", "entities", "models",
                          "latency", "tenants", "input_tokens", "difficulty", "needs_tools",
                          "needs_vision"});
  if (auto n = node.Find("class")) {
    for (const NodeRef& item : ListOrOne(*n)) when.classes.push_back(ReadClassRank(item, *policy));
  }
  if (auto n = node.Find("class_at_least")) when.class_at_least = ReadClassRank(*n, *policy);
  if (auto n = node.Find("class_at_most")) when.class_at_most = ReadClassRank(*n, *policy);
  if (auto n = node.Find("entities")) {
    for (const NodeRef& item : ListOrOne(*n))
      when.entity_types.push_back(EntityTypeOrWildcard(item));
  }
  if (auto n = node.Find("models")) {
    for (const NodeRef& item : ListOrOne(*n)) {
      std::string alias = item.NonEmptyString();
      const bool virtual_alias = !config.ResolveAlias(alias).has_value();
      if (virtual_alias && std::find(policy->virtual_aliases.begin(), policy->virtual_aliases.end(),
                                     alias) == policy->virtual_aliases.end()) {
        policy->virtual_aliases.push_back(alias);
      }
      when.models.push_back(std::move(alias));
    }
  }
  if (auto n = node.Find("latency")) {
    for (const NodeRef& item : ListOrOne(*n)) when.latency.push_back(ReadTier(item));
  }
  if (auto n = node.Find("tenants")) {
    for (const NodeRef& item : ListOrOne(*n)) when.tenants.push_back(item.NonEmptyString());
  }
  if (auto n = node.Find("input_tokens")) {
    n->RejectUnknownKeys({"min", "max"});
    if (auto m = n->Find("min")) when.min_input_tokens = m->Int(0, 1LL << 40);
    if (auto m = n->Find("max")) when.max_input_tokens = m->Int(0, 1LL << 40);
    if (when.min_input_tokens && when.max_input_tokens &&
        *when.min_input_tokens > *when.max_input_tokens) {
      n->Fail("min is greater than max");
    }
  }
  if (auto n = node.Find("difficulty")) {
    n->RejectUnknownKeys({"min", "max"});
    if (auto m = n->Find("min")) when.min_difficulty = m->Double(0, 1);
    if (auto m = n->Find("max")) when.max_difficulty = m->Double(0, 1);
    if (when.min_difficulty && when.max_difficulty && *when.min_difficulty > *when.max_difficulty) {
      n->Fail("min is greater than max");
    }
  }
  if (auto n = node.Find("needs_tools")) when.needs_tools = n->Bool();
  if (auto n = node.Find("needs_vision")) when.needs_vision = n->Bool();

  bool any_class = false;
  for (const DataClass& c : policy->classes) any_class = any_class || when.ClassCanMatch(c.rank);
  if (!any_class) node.Fail("the class conditions exclude every class; this rule can never match");
  return when;
}

RouteStep ReadStep(const NodeRef& lane_node, const NodeRef* model_node, const Config& config) {
  RouteStep step;
  step.lane = lane_node.NonEmptyString();
  const std::optional<std::size_t> index = config.LaneIndex(step.lane);
  if (!index.has_value()) lane_node.Fail("unknown lane \"" + step.lane + "\"");
  step.lane_index = *index;
  if (model_node != nullptr) step.model = model_node->NonEmptyString();
  return step;
}

// A fallback is a lane name or {lane, model}.
RouteStep ReadFallback(const NodeRef& node, const Config& config) {
  if (node.IsScalar()) return ReadStep(node, nullptr, config);
  node.RejectUnknownKeys({"lane", "model"});
  std::optional<NodeRef> model = node.Find("model");
  return ReadStep(node.Require("lane"), model ? &*model : nullptr, config);
}

// Each step must be usable by at least one class the rule can match (else: error, dead
// configuration). When the rule names its classes explicitly, a step that some of them
// forbid is a warning: it is skipped for those classes at decision time.
void CheckStepAgainstClasses(const NodeRef& at, const RouteStep& step, const Config& config,
                             const RuleCondition* condition, const Policy& policy) {
  std::vector<std::string> forbidding;
  bool usable = false;
  for (const DataClass& c : policy.classes) {
    if (condition != nullptr && !condition->ClassCanMatch(c.rank)) continue;
    if (c.Allows(step.lane_index)) {
      usable = true;
    } else {
      forbidding.push_back(c.name);
    }
  }
  const std::string kind(LaneKindName(config.lanes[step.lane_index].kind));
  if (!usable) {
    at.Fail("lane \"" + step.lane + "\" (" + kind + ") is forbidden for every class " +
            (condition != nullptr ? "this rule can match" : "of the policy") +
            "; it could never be used");
  }
  const bool explicit_classes =
      condition != nullptr &&
      (!condition->classes.empty() || condition->class_at_least || condition->class_at_most);
  if (explicit_classes && !forbidding.empty()) {
    std::string names;
    for (const std::string& n : forbidding) names += (names.empty() ? "" : ", ") + n;
    at.Warn("lane \"" + step.lane + "\" (" + kind + ") is forbidden for class " + names +
            " and will be skipped for it");
  }
}

// `strategy: cascade`'s judgement: threshold (required), escalate_on, unscored,
// stream_buffer_kb (docs/policy.md, "Cascades").
core::CascadeSettings ReadCascadeSettings(const NodeRef& node) {
  core::CascadeSettings settings;
  settings.threshold = node.Require("threshold").Double(0, 1);
  if (auto n = node.Find("escalate_on")) {
    settings.escalate_on_refusal = false;
    settings.escalate_on_truncation = false;
    for (const NodeRef& item : ListOrOne(*n)) {
      const std::string signal = item.OneOf({"low_confidence", "refusal", "truncation"});
      if (signal == "refusal") settings.escalate_on_refusal = true;
      if (signal == "truncation") settings.escalate_on_truncation = true;
    }
  }
  if (auto n = node.Find("unscored")) {
    settings.escalate_unscored = n->OneOf({"accept", "escalate"}) == "escalate";
  }
  if (auto n = node.Find("stream_buffer_kb")) {
    settings.stream_buffer_bytes = static_cast<std::size_t>(n->Int(1, 64 * 1024)) * 1024;
  }
  return settings;
}

}  // namespace

RouteTarget ReadRouteTarget(const NodeRef& node, const Config& config,
                            const RuleCondition* condition, const Policy& policy) {
  node.ExpectMap();
  std::string strategy_name;
  if (auto n = node.Find("strategy")) strategy_name = n->OneOf({"capability", "cascade"});
  const bool capability = strategy_name == "capability";
  const bool cascade = strategy_name == "cascade";
  if (capability) {
    node.RejectUnknownKeys(
        {"strategy", "weak", "strong", "objective", "strong_share", "fallbacks"});
  } else if (cascade) {
    node.RejectUnknownKeys({"strategy", "first", "then", "threshold", "escalate_on", "unscored",
                            "stream_buffer_kb", "fallbacks"});
  } else {
    node.RejectUnknownKeys({"lane", "model", "fallbacks"});
  }
  RouteTarget target;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const NodeRef& at, RouteStep step) {
    if (!seen.emplace(step.lane, step.model).second) {
      at.Fail("lane \"" + step.lane + "\"" +
              (step.model.empty() ? "" : " with model \"" + step.model + "\"") +
              " appears twice in this route");
    }
    CheckStepAgainstClasses(at, step, config, condition, policy);
    target.steps.push_back(std::move(step));
  };
  if (capability) {
    if (policy.difficulty_calibration.empty()) {
      node.Require("strategy")
          .Fail(
              "capability routing needs the difficulty model: set policy.inspection."
              "difficulty_dir to a folder holding weights.txt and calibration.txt "
              "(the project ships data/difficulty)");
    }
    CapabilityStrategy strategy;
    if (auto n = node.Find("objective")) {
      strategy.objective = n->OneOf({"quality", "balanced", "cost", "privacy-first"});
    }
    if (auto n = node.Find("strong_share")) strategy.strong_share = n->Double(0, 1);
    target.capability = strategy;
    const NodeRef weak = node.Require("weak");
    add(weak, ReadFallback(weak, config));
    const NodeRef strong = node.Require("strong");
    add(strong, ReadFallback(strong, config));
  } else if (cascade) {
    target.cascade = ReadCascadeSettings(node);
    const NodeRef first = node.Require("first");
    add(first, ReadFallback(first, config));
    const NodeRef then = node.Require("then");
    add(then, ReadFallback(then, config));
  } else {
    const NodeRef lane = node.Require("lane");
    std::optional<NodeRef> model = node.Find("model");
    add(lane, ReadStep(lane, model ? &*model : nullptr, config));
  }
  if (auto fallbacks = node.Find("fallbacks")) {
    for (const NodeRef& item : ListOrOne(*fallbacks)) add(item, ReadFallback(item, config));
  }
  return target;
}

void ReadRules(const NodeRef& node, const Config& config, Policy* policy) {
  std::set<std::string, std::less<>> names;
  for (const NodeRef& item : node.Items()) {
    item.ExpectMap();
    item.RejectUnknownKeys({"name", "when", "route", "max_cost_usd"});
    Rule rule;
    const NodeRef name = item.Require("name");
    rule.name = name.NonEmptyString();
    if (!IsPolicyName(rule.name)) {
      name.Fail("rule names use only a-z, 0-9, '_' and '-' (at most 64), got \"" + rule.name +
                "\"");
    }
    if (!names.insert(rule.name).second) name.Fail("duplicate rule name \"" + rule.name + "\"");
    if (auto when = item.Find("when")) {
      rule.when = ReadCondition(*when, config, policy);
    }
    rule.route = ReadRouteTarget(item.Require("route"), config, &rule.when, *policy);
    if (auto n = item.Find("max_cost_usd")) rule.max_cost_usd = n->Double(0, 1e6);
    policy->rules.push_back(std::move(rule));
  }
}

}  // namespace lanewise::config
