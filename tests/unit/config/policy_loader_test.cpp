#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "test_env.h"

namespace lanewise::config {
namespace {

using testing::LoadError;
using testing::OptionsWithEnv;

// Three lanes; the policy text is appended at line 11.
const std::string kLanes =
    "lanes:\n"                                                                           // 1
    "  - {name: local, kind: local, base_url: 'http://127.0.0.1:1/v1',\n"                // 2
    "     models: [{alias: chat, upstream: llama}]}\n"                                   // 3
    "  - {name: gpu, kind: private, base_url: 'https://gpu.internal/v1',\n"              // 4
    "     models: [{alias: chat, upstream: llama-70b}]}\n"                               // 5
    "  - {name: cloud, kind: managed, base_url: 'https://api.example.com/v1',\n"         // 6
    "     models: [{alias: chat, upstream: gpt}, {alias: gpt-4o, upstream: gpt-4o}]}\n"  // 7
    "policy:\n"                                                                          // 8
    "  data_classes:\n"                                                                  // 9
    "    - {name: public, crossing: allow}\n"                                            // 10
    "    - {name: restricted, crossing: deny}\n";                                        // 11

core::Result<ConfigPtr> Load(const std::string& policy_tail) {
  return LoadConfigString(kLanes + policy_tail, "test.yaml", OptionsWithEnv({}));
}
std::string Error(const std::string& policy_tail) {
  return LoadError(kLanes + policy_tail);
}

TEST(PolicyLoaderTest, ReferenceExampleLoadsWithoutWarnings) {
  auto result = LoadConfigFile(LANEWISE_SOURCE_DIR "/examples/policy-reference.yaml",
                               OptionsWithEnv({{"OPENAI_API_KEY", "sk-test"}}));
  ASSERT_TRUE(result.ok()) << result.status().message();
  const Config& c = **result;
  for (const std::string& w : c.warnings) ADD_FAILURE() << w;
  ASSERT_TRUE(c.policy.has_value());
  const Policy& p = *c.policy;
  ASSERT_EQ(p.classes.size(), 4u);
  EXPECT_EQ(p.classes[3].name, "restricted");
  EXPECT_TRUE(p.classes[3].LocalOnly());
  // internal: local allowed, gpu-box allowed, cloud only with redaction.
  EXPECT_EQ(p.classes[1].access,
            (std::vector<LaneAccess>{LaneAccess::kAllowed, LaneAccess::kAllowed,
                                     LaneAccess::kAllowedWithRedaction}));
  EXPECT_EQ(p.classes[2].access,
            (std::vector<LaneAccess>{LaneAccess::kAllowed, LaneAccess::kAllowed,
                                     LaneAccess::kForbidden}));
  EXPECT_EQ(p.classification.by_entity.size(), 4u);
  EXPECT_EQ(p.rules.size(), 8u);
  EXPECT_EQ(p.rules[2].route.steps[0].model, "gpt-4o");
  // capability-chat: weak then strong, the fallbacks after; a cost cap; lane prices.
  const RouteTarget& capability = p.rules[3].route;
  ASSERT_TRUE(capability.capability.has_value());
  EXPECT_EQ(capability.capability->objective, "balanced");
  ASSERT_EQ(capability.steps.size(), 3u);
  EXPECT_EQ(capability.steps[0].lane, "local");
  EXPECT_EQ(capability.steps[1].lane, "cloud");
  EXPECT_EQ(capability.steps[1].model, "gpt-4o");
  EXPECT_EQ(p.rules[3].max_cost_usd, 0.05);
  EXPECT_FALSE(p.difficulty_calibration.empty());
  EXPECT_FALSE(p.inspection.difficulty_weights.empty());
  EXPECT_EQ(c.lanes[2].price.output_per_mtok, 10.0);
  EXPECT_EQ(c.lanes[0].price.per_second, 0.0002);
  EXPECT_EQ(p.virtual_aliases, (std::vector<std::string>{"local-first", "auto"}));
  // local-first: a cascade, local then the cloud's gpt-4o, then gpu-box.
  const RouteTarget& cascade = p.rules[4].route;
  ASSERT_TRUE(cascade.cascade.has_value());
  EXPECT_DOUBLE_EQ(cascade.cascade->threshold, 0.6);
  ASSERT_EQ(cascade.steps.size(), 3u);
  EXPECT_EQ(cascade.steps[1].model, "gpt-4o");
  EXPECT_EQ(c.lanes[1].slots, 8);
  EXPECT_EQ(c.lanes[1].capacity.max_concurrency, 8);
  EXPECT_EQ(c.lanes[1].capacity.queue, 32);
  EXPECT_EQ(p.tier_deadline_ms.at(core::LatencyTier::kInteractive), 3000);
  ASSERT_TRUE(p.default_route.has_value());
  EXPECT_EQ(p.default_route->steps.size(), 3u);
  ASSERT_NE(p.FindTenant("research"), nullptr);
  EXPECT_TRUE(p.FindTenant("research")->may_lower_class);
  EXPECT_EQ(p.FindTenant("legal")->min_rank, 2);
  ASSERT_EQ(p.inspection.custom_detectors.size(), 2u);
  EXPECT_EQ(p.inspection.custom_detectors[0].terms.size(), 2u);
  EXPECT_EQ(p.inspection.custom_detectors[1].pattern, "TCK-[0-9]{6}");
  EXPECT_EQ(p.inspection.sensitivity_overrides.at("PHONE_NUMBER"), 3);
  EXPECT_EQ(p.inspection.disabled_types, std::vector<std::string>{"MAC_ADDRESS"});
  EXPECT_EQ(p.inspection.gazetteer_dir, LANEWISE_SOURCE_DIR "/examples/../data/gazetteers");
}

TEST(PolicyLoaderTest, SameAliasOnSeveralLanesNeedsAPolicy) {
  auto with = Load("");
  ASSERT_TRUE(with.ok()) << with.status().message();
  const std::string without = LoadError(kLanes.substr(0, kLanes.find("policy:")));
  EXPECT_NE(without.find("without a policy section an alias must be unique"), std::string::npos)
      << without;
}

TEST(PolicyLoaderTest, PolicyIsPartOfTheVersion) {
  auto a = Load("");
  auto b = Load("  default: {lane: local}\n");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)->version, (*b)->version);
}

TEST(PolicyLoaderTest, CrossingResolvesPerKind) {
  auto r = Load("    - name: mixed\n      crossing: {private: allow, managed: redact}\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const DataClass* mixed = (*r)->policy->FindClass("mixed");
  ASSERT_NE(mixed, nullptr);
  EXPECT_EQ(mixed->rank, 2);
  EXPECT_EQ(mixed->access, (std::vector<LaneAccess>{LaneAccess::kAllowed, LaneAccess::kAllowed,
                                                    LaneAccess::kAllowedWithRedaction}));
  // Default crossing is deny: only local lanes.
  const DataClass* restricted = (*r)->policy->FindClass("restricted");
  EXPECT_EQ(restricted->access,
            (std::vector<LaneAccess>{LaneAccess::kAllowed, LaneAccess::kForbidden,
                                     LaneAccess::kForbidden}));
}

TEST(PolicyLoaderTest, ClassErrors) {
  EXPECT_EQ(Error("    - {name: public}\n"),
            "test.yaml:12:14: policy.data_classes[2].name: duplicate class name \"public\"");
  EXPECT_EQ(Error("    - {name: secret, lanes: [nope]}\n"),
            "test.yaml:12:30: policy.data_classes[2].lanes[0]: unknown lane \"nope\"");
  EXPECT_EQ(Error("    - {name: secret, lanes: [cloud], crossing: deny}\n"),
            "test.yaml:12:30: policy.data_classes[2].lanes[0]: lane \"cloud\" is managed but this "
            "class's crossing for managed lanes is deny; remove the lane or change crossing");
  EXPECT_EQ(Error("    - {name: secret, kinds: [cloud]}\n"),
            "test.yaml:12:30: policy.data_classes[2].kinds[0]: expected one of local, private, "
            "managed, got \"cloud\"");
  EXPECT_EQ(Error("    - {name: secret, crossing: maybe}\n"),
            "test.yaml:12:32: policy.data_classes[2].crossing: expected one of deny, redact, "
            "allow, got \"maybe\"");
  EXPECT_EQ(Error("    - {name: Secret}\n"),
            "test.yaml:12:14: policy.data_classes[2].name: class names use only a-z, 0-9, '_' "
            "and '-' (at most 64), got \"Secret\"");
}

TEST(PolicyLoaderTest, ClassificationErrors) {
  EXPECT_EQ(Error("  classification:\n    default: secret\n"),
            "test.yaml:13:14: policy.classification.default: unknown data class \"secret\" "
            "(expected one of: public, restricted)");
  EXPECT_EQ(Error("  classification:\n    by_entity:\n      - {types: [credit_card], class: "
                  "restricted}\n"),
            "test.yaml:14:18: policy.classification.by_entity[0].types[0]: entity types are "
            "written in upper case (A-Z, 0-9, '_'), got \"credit_card\"");
  EXPECT_EQ(Error("  classification:\n    by_score:\n      - {min_score: high, class: "
                  "restricted}\n"),
            "test.yaml:14:21: policy.classification.by_score[0].min_score: expected a number, "
            "got \"high\"");
}

TEST(PolicyLoaderTest, TenantErrors) {
  EXPECT_EQ(Error("  tenants:\n    acme: {may_lower: true}\n"),
            "test.yaml:13:12: policy.tenants.acme: unknown key \"may_lower\" (expected one of: "
            "may_lower_class, min_class)");
  EXPECT_EQ(Error("  tenants:\n    acme: {min_class: top}\n"),
            "test.yaml:13:23: policy.tenants.acme.min_class: unknown data class \"top\" "
            "(expected one of: public, restricted)");
}

TEST(PolicyLoaderTest, RuleErrors) {
  EXPECT_EQ(Error("  rules:\n    - {name: a, route: {lane: nope}}\n"),
            "test.yaml:13:31: policy.rules[0].route.lane: unknown lane \"nope\"");
  EXPECT_EQ(Error("  rules:\n    - {name: a, route: {lane: local}}\n"
                  "    - {name: a, route: {lane: local}}\n"),
            "test.yaml:14:14: policy.rules[1].name: duplicate rule name \"a\"");
  EXPECT_EQ(Error("  rules:\n    - {name: a, when: {class: top}, route: {lane: local}}\n"),
            "test.yaml:13:31: policy.rules[0].when.class: unknown data class \"top\" (expected "
            "one of: public, restricted)");
  EXPECT_EQ(Error("  rules:\n    - {name: a, when: {latency: fast}, route: {lane: local}}\n"),
            "test.yaml:13:33: policy.rules[0].when.latency: expected one of interactive, "
            "background, batch, unspecified, got \"fast\"");
  EXPECT_EQ(Error("  rules:\n    - {name: a, when: {colour: red}, route: {lane: local}}\n"),
            "test.yaml:13:24: policy.rules[0].when: unknown key \"colour\" (expected one of: "
            "class, class_at_least, class_at_most, entities, models, latency, tenants, "
            "input_tokens, difficulty, needs_tools, needs_vision)");
  EXPECT_EQ(Error("  rules:\n    - name: a\n      when: {input_tokens: {min: 10, max: 5}}\n"
                  "      route: {lane: local}\n"),
            "test.yaml:14:28: policy.rules[0].when.input_tokens: min is greater than max");
  EXPECT_EQ(Error("  rules:\n    - name: a\n      when: {class_at_least: restricted, "
                  "class_at_most: public}\n      route: {lane: local}\n"),
            "test.yaml:14:13: policy.rules[0].when: the class conditions exclude every class; "
            "this rule can never match");
  EXPECT_EQ(Error("  rules:\n    - name: a\n      route: {lane: local, fallbacks: [gpu, "
                  "local]}\n"),
            "test.yaml:14:45: policy.rules[0].route.fallbacks[1]: lane \"local\" appears twice "
            "in this route");
  EXPECT_EQ(Error("  default: {lane: local, fallbacks: [{lane: gpu, mdl: x}]}\n"),
            "test.yaml:12:50: policy.default.fallbacks[0]: unknown key \"mdl\" (expected one "
            "of: lane, model)");
}

TEST(PolicyLoaderTest, CascadeErrors) {
  EXPECT_EQ(Error("  default: {strategy: cascade, first: local, then: cloud}\n"),
            "test.yaml:12:12: policy.default: missing required key \"threshold\"");
  EXPECT_EQ(Error("  default: {strategy: cascad, first: local, then: cloud, threshold: 0.5}\n"),
            "test.yaml:12:23: policy.default.strategy: expected one of capability, cascade, got "
            "\"cascad\"");
  EXPECT_EQ(Error("  default: {strategy: cascade, first: local, then: cloud, threshold: 1.5}\n"),
            "test.yaml:12:70: policy.default.threshold: must be between 0.000000 and 1.000000, "
            "got 1.5");
  EXPECT_EQ(Error("  default: {strategy: cascade, first: local, then: nowhere, threshold: 0.5}\n"),
            "test.yaml:12:52: policy.default.then: unknown lane \"nowhere\"");
  EXPECT_EQ(Error("  default: {strategy: cascade, first: local, threshold: 0.5}\n"),
            "test.yaml:12:12: policy.default: missing required key \"then\"");
  EXPECT_EQ(Error("  default: {strategy: cascade, first: local, then: local, threshold: 0.5}\n"),
            "test.yaml:12:52: policy.default.then: lane \"local\" appears twice in this route");
  EXPECT_EQ(Error("  rules:\n    - name: a\n      route:\n        strategy: cascade\n"
                  "        first: local\n        then: cloud\n        threshold: 0.5\n"
                  "        escalate_on: [refusal, sometimes]\n"),
            "test.yaml:19:32: policy.rules[0].route.escalate_on[1]: expected one of "
            "low_confidence, refusal, truncation, got \"sometimes\"");
  EXPECT_EQ(Error("  default: {strategy: cascade, weak: local, then: cloud, threshold: 0.5}\n"),
            "test.yaml:12:32: policy.default: unknown key \"weak\" (expected one of: strategy, "
            "first, then, threshold, escalate_on, unscored, stream_buffer_kb, fallbacks)");
  EXPECT_EQ(Error("  default: {strategy: cascade, first: local, then: cloud, threshold: 0.5, "
                  "stream_buffer_kb: 0}\n"),
            "test.yaml:12:93: policy.default.stream_buffer_kb: must be between 1 and 65536, got 0");
  auto ok = Load("  default: {strategy: cascade, first: local, then: cloud, threshold: 0.5}\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_TRUE((*ok)->policy->default_route->cascade.has_value());
  EXPECT_DOUBLE_EQ((*ok)->policy->default_route->cascade->threshold, 0.5);
}

TEST(PolicyLoaderTest, CapacityErrors) {
  auto lanes = [](const std::string& capacity) {
    return "lanes:\n"                                                         // 1
           "  - {name: a, kind: local, base_url: 'http://127.0.0.1:1/v1',\n"  // 2
           "     models: [{alias: chat, upstream: m}],\n"                     // 3
           "     capacity: " +
           capacity + "}\n";  // 4
  };
  EXPECT_EQ(LoadError(lanes("{when_full: burst}")),
            "test.yaml:4:16: lanes[0].capacity: missing required key \"max_concurrency\"");
  EXPECT_EQ(LoadError(lanes("{max_concurrency: 2, when_full: later}")),
            "test.yaml:4:48: lanes[0].capacity.when_full: expected one of queue, burst, degrade, "
            "refuse, got \"later\"");
  EXPECT_EQ(LoadError(lanes("{max_concurrency: 2, when_full: degrade}")),
            "test.yaml:4:16: lanes[0].capacity: when_full: degrade needs degrade_to (the smaller "
            "model lane)");
  EXPECT_EQ(LoadError(lanes("{max_concurrency: 2, when_full: degrade, degrade_to: b}")),
            "test.yaml:4:69: lanes[0].capacity.degrade_to: unknown lane \"b\"");
  EXPECT_EQ(LoadError(lanes("{max_concurrency: 2, when_full: degrade, degrade_to: a}")),
            "test.yaml:4:69: lanes[0].capacity.degrade_to: a lane cannot degrade to itself");
  EXPECT_EQ(LoadError(lanes("{max_concurrency: 2, when_full: refuse, queue: 3}")),
            "test.yaml:4:63: lanes[0].capacity.queue: a queue is only used with when_full: queue");
}

TEST(PolicyLoaderTest, FallbackForbiddenForTheRulesClasses) {
  // Forbidden for every class the rule can match: an error.
  EXPECT_EQ(Error("  rules:\n    - name: a\n      when: {class: restricted}\n"
                  "      route: {lane: local, fallbacks: [cloud]}\n"),
            "test.yaml:15:40: policy.rules[0].route.fallbacks[0]: lane \"cloud\" (managed) is "
            "forbidden for every class this rule can match; it could never be used");
  // Forbidden for some of the rule's explicit classes: a warning, skipped at decision time.
  auto r = Load(
      "  rules:\n    - name: a\n      when: {class: [public, restricted]}\n"
      "      route: {lane: local, fallbacks: [cloud]}\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ((*r)->warnings.size(), 1u);
  EXPECT_EQ((*r)->warnings[0],
            "test.yaml:15:40: policy.rules[0].route.fallbacks[0]: lane \"cloud\" (managed) is "
            "forbidden for class restricted and will be skipped for it");
  // No class condition: filtered per request, no message.
  auto quiet = Load("  rules:\n    - {name: a, route: {lane: cloud, fallbacks: [local]}}\n");
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE((*quiet)->warnings.empty());
}

TEST(PolicyLoaderTest, InspectionErrors) {
  EXPECT_EQ(Error("  inspection:\n    detectors:\n      - {name: x, entity_type: X}\n"),
            "test.yaml:14:9: policy.inspection.detectors[0]: a detector needs exactly one of "
            "terms or pattern");
  EXPECT_EQ(Error("  inspection:\n    detectors:\n      - {name: x, entity_type: X, terms: [a]}\n"
                  "      - {name: x, entity_type: Y, pattern: 'y+'}\n"),
            "test.yaml:15:16: policy.inspection.detectors[1].name: duplicate detector name \"x\"");
  EXPECT_EQ(Error("  inspection:\n    sensitivity_overrides: {PERSON: 9}\n"),
            "test.yaml:13:37: policy.inspection.sensitivity_overrides.PERSON: must be between 0 "
            "and 4, got 9");
  EXPECT_EQ(Error("  inspection:\n    gazetteer_dir: /no/such/dir\n"),
            "test.yaml:13:20: policy.inspection.gazetteer_dir: gazetteer directory "
            "\"/no/such/dir\" does not exist");
}

TEST(PolicyLoaderTest, ClassWithNoLaneWarns) {
  auto r =
      Load("    - {name: sealed, kinds: [private], crossing: {private: deny, managed: deny}}\n");
  EXPECT_FALSE(r.ok());  // selecting a kind the crossing denies is an error
  auto empty = LoadConfigString(
      "lanes: [{name: cloud, kind: managed, base_url: 'https://x', models: [{alias: a, "
      "upstream: b}]}]\npolicy:\n  data_classes:\n    - {name: sealed, crossing: deny}\n",
      "test.yaml", OptionsWithEnv({}));
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  ASSERT_EQ((*empty)->warnings.size(), 1u);
  EXPECT_EQ((*empty)->warnings[0],
            "test.yaml:4:7: policy.data_classes[0]: class \"sealed\" may use no lane: every "
            "request of this class is refused");
}

}  // namespace
}  // namespace lanewise::config
