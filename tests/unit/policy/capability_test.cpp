// Routing by capability and cost: capability routes, objectives, strong_share, lane
// prices, max_cost_usd, and what explain says about them (docs/policy.md).
#include <gtest/gtest.h>

#include <random>

#include "policy/capability_route.h"
#include "policy/cost_estimate.h"
#include "policy/engine.h"
#include "policy_fixture.h"

namespace lanewise::policy {
namespace {

using testing::FixedContext;
using testing::HasReason;
using testing::LoadOrDie;
using testing::PlanLanes;
using Lanes = std::vector<std::string>;

std::string Yaml(const std::string& rule_extra = "", const std::string& route_extra = "") {
  return std::string(R"(
lanes:
  - name: local
    kind: local
    base_url: http://127.0.0.1:8081/v1
    models: [{alias: chat, upstream: llama}]
    price: {per_second: 0.001, output_tokens_per_second: 50}
  - name: cloud
    kind: managed
    base_url: https://api.example.com/v1
    models: [{alias: premium, upstream: gpt-4o}]
    price: {input_per_mtok: 2.5, output_per_mtok: 10}
policy:
  data_classes:
    - {name: public, crossing: allow}
    - {name: confidential, crossing: {managed: redact}}
    - {name: restricted, lanes: [local], crossing: deny}
  classification:
    default: public
    by_score: [{min_score: 0.5, class: confidential}, {min_score: 0.8, class: restricted}]
  inspection: {difficulty_dir: )") +
         LANEWISE_SOURCE_DIR + R"(/data/difficulty}
  rules:
    - name: premium
      when: {models: [premium]}
      route: {strategy: capability, weak: local, strong: cloud, objective: balanced)" +
         route_extra + "}\n" + rule_extra;
}

core::Facts Facts(double difficulty, std::string objective = "", double sensitivity = 0.0) {
  core::Facts f;
  f.model_alias = "premium";
  f.difficulty = difficulty;
  f.objective = std::move(objective);
  f.sensitivity_score = sensitivity;
  f.estimated_input_tokens = 1000;
  f.max_output_tokens = 500;
  return f;
}

class CapabilityTest : public ::testing::Test {
 protected:
  void Load(const std::string& yaml) {
    config_ = LoadOrDie(yaml);
    ASSERT_TRUE(config_);
    calibration_ = &config_->policy->difficulty_calibration;
  }
  void SetUp() override { Load(Yaml()); }
  core::RouteDecision Run(const core::Facts& facts) {
    return Decide(facts, *config_, {}, FixedContext(), &explanation_);
  }
  double Threshold(const std::string& objective) const {
    return calibration_->ThresholdForShare(*calibration_->ShareForObjective(objective));
  }
  config::ConfigPtr config_;
  const core::DifficultyCalibration* calibration_ = nullptr;
  Explanation explanation_;
};

TEST_F(CapabilityTest, HardRequestsLeadWithTheStrongLaneEasyOnesWithTheWeak) {
  const double t = Threshold("balanced");
  core::RouteDecision hard = Run(Facts(std::min(1.0, t + 0.01)));
  EXPECT_EQ(PlanLanes(hard), (Lanes{"cloud", "local"}));
  EXPECT_TRUE(HasReason(hard, "capability_strong"));
  EXPECT_EQ(hard.objective, "balanced");
  EXPECT_DOUBLE_EQ(hard.difficulty_threshold, t);
  core::RouteDecision easy = Run(Facts(t - 0.01));
  EXPECT_EQ(PlanLanes(easy), (Lanes{"local", "cloud"}));
  EXPECT_TRUE(HasReason(easy, "capability_weak"));
}

TEST_F(CapabilityTest, AnUnscoredRequestGoesToTheWeakLane) {
  core::RouteDecision d = Run(Facts(-1.0));
  EXPECT_EQ(PlanLanes(d).front(), "local");
  EXPECT_TRUE(HasReason(d, "difficulty_unscored"));
}

TEST_F(CapabilityTest, TheRequestsObjectiveReplacesTheRulesAndUnknownOnesAreIgnored) {
  // Between the quality and cost thresholds: strong for quality, weak for cost.
  const double between = (Threshold("quality") + Threshold("cost")) / 2;
  ASSERT_LT(Threshold("quality"), Threshold("cost"));
  EXPECT_EQ(PlanLanes(Run(Facts(between, "quality"))).front(), "cloud");
  EXPECT_EQ(PlanLanes(Run(Facts(between, "cost"))).front(), "local");
  core::RouteDecision unknown = Run(Facts(between, "cheapest-please"));
  EXPECT_TRUE(HasReason(unknown, "objective_unknown_ignored"));
  EXPECT_EQ(unknown.objective, "balanced");
}

TEST_F(CapabilityTest, StrongShareIsACapARequestCannotRaise) {
  Load(Yaml("", ", strong_share: 0.05"));
  const double capped = calibration_->ThresholdForShare(0.05);
  ASSERT_GT(capped, Threshold("quality"));
  const double between = (capped + Threshold("quality")) / 2;
  core::RouteDecision d = Run(Facts(between, "quality"));
  EXPECT_EQ(PlanLanes(d).front(), "local");
  EXPECT_DOUBLE_EQ(d.difficulty_threshold, capped);
  EXPECT_EQ(explanation_.capability.objective_source, "strong_share");
  // A request may ask for fewer strong calls than the cap.
  EXPECT_EQ(Run(Facts(capped + 1e-9, "privacy-first")).difficulty_threshold,
            std::max(capped, Threshold("privacy-first")));
}

TEST_F(CapabilityTest, NoObjectiveOverridesTheClass) {
  // restricted forbids the cloud: whatever the difficulty and objective, never cloud.
  std::mt19937_64 random(12);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::vector<std::string> objectives = {"",     "quality",       "balanced",
                                               "cost", "privacy-first", "bogus"};
  for (int i = 0; i < 2000; ++i) {
    const double sensitivity = unit(random);
    core::RouteDecision d =
        Run(Facts(unit(random), objectives[i % objectives.size()], sensitivity));
    for (const core::PlannedAttempt& a : d.plan) {
      if (d.data_class == "restricted") {
        EXPECT_NE(a.lane, "cloud");
      }
      if (a.lane == "cloud") {
        EXPECT_EQ(a.redact, d.data_class == "confidential");
      }
    }
    ASSERT_FALSE(d.plan.empty());
    if (d.data_class == "restricted" && HasReason(d, "capability_strong")) {
      EXPECT_TRUE(HasReason(d, "strong_lane_unavailable"));
    }
  }
}

TEST_F(CapabilityTest, RaisingTheThresholdNeverRaisesTheStrongShare) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> difficulties(200);
  for (double& d : difficulties) d = unit(random);
  double previous_threshold = -1.0;
  std::size_t previous_strong = difficulties.size() + 1;
  for (int step = 0; step <= 40; ++step) {  // share 1.0 down to 0.0: thresholds rise
    const double share = 1.0 - step / 40.0;
    Load(Yaml("", ", strong_share: " + std::to_string(share)));
    std::size_t strong = 0;
    double threshold = 0.0;
    for (double difficulty : difficulties) {
      core::RouteDecision d = Decide(Facts(difficulty), *config_, {}, FixedContext());
      threshold = d.difficulty_threshold;
      strong += PlanLanes(d).front() == "cloud" ? 1 : 0;
    }
    EXPECT_GE(threshold, previous_threshold) << "share " << share;
    EXPECT_LE(strong, previous_strong) << "share " << share;
    previous_threshold = threshold;
    previous_strong = strong;
  }
  EXPECT_EQ(previous_strong, 0u);
}

TEST_F(CapabilityTest, CostsAreEstimatedFromTokensAndPrices) {
  const core::Facts f = Facts(0.0);
  // cloud: 1000 in x 2.5/M + 500 out x 10/M; local: 500 tokens / 50 per s x 0.001 per s.
  EXPECT_NEAR(EstimateCostUsd(config_->lanes[1].price, f), 0.0025 + 0.005, 1e-12);
  EXPECT_NEAR(EstimateCostUsd(config_->lanes[0].price, f), 0.01, 1e-12);
  core::Facts no_max = f;
  no_max.max_output_tokens = 0;
  EXPECT_EQ(EstimatedOutputTokens(no_max), kDefaultOutputTokens);

  core::RouteDecision d = Run(Facts(0.0));
  EXPECT_NEAR(d.estimated_cost_usd, 0.01, 1e-12);
  EXPECT_NEAR(d.strong_cost_usd, 0.0075, 1e-12);
  ASSERT_EQ(explanation_.candidates.size(), 2u);
  EXPECT_EQ(explanation_.candidates[0].lane, "local");
  EXPECT_EQ(explanation_.candidates[0].role, "weak");
  EXPECT_EQ(explanation_.candidates[0].outcome, "chosen");
  EXPECT_EQ(explanation_.candidates[1].role, "strong");
  EXPECT_EQ(explanation_.candidates[1].outcome, "fallback");
  EXPECT_NE(explanation_.candidates[1].why.find("threshold"), std::string::npos);
  EXPECT_TRUE(explanation_.capability.applied);
  EXPECT_EQ(explanation_.capability.choice, "weak");
}

TEST_F(CapabilityTest, MaxCostDropsAttemptsOverTheCapAndSkipsARuleLeftWithNone) {
  Load(Yaml("      max_cost_usd: 0.008\n"));
  core::RouteDecision d = Run(Facts(1.0));  // strong: cloud 0.0075 fits, local 0.01 does not
  EXPECT_EQ(PlanLanes(d), (Lanes{"cloud"}));
  EXPECT_TRUE(HasReason(d, reason::kOverCostCapSkipped));
  // Nothing fits: the rule is skipped and the next route decides (here the alias's lanes;
  // a policy that means the cap as a hard limit ends with a cheap default).
  Load(Yaml("      max_cost_usd: 0.001\n"));
  core::RouteDecision skipped = Run(Facts(1.0));
  ASSERT_FALSE(explanation_.rules.empty());
  EXPECT_EQ(explanation_.rules[0].outcome, "over_cost_cap");
  EXPECT_EQ(explanation_.route_source, "alias");
  EXPECT_TRUE(HasReason(skipped, reason::kOverCostCapSkipped));
}

TEST_F(CapabilityTest, TheDifficultyConditionMatchesScoredRequests) {
  Load(Yaml(R"(    - name: hard-chat
      when: {models: [chat], difficulty: {min: 0.5}}
      route: {lane: cloud}
)"));
  core::Facts f = Facts(0.6);
  f.model_alias = "chat";
  EXPECT_EQ(PlanLanes(Run(f)), (Lanes{"cloud"}));
  f.difficulty = 0.4;
  EXPECT_EQ(PlanLanes(Run(f)), (Lanes{"local"}));
}

TEST(CapabilityConfigTest, CapabilityRoutesNeedTheDifficultyModelAndKnownObjectives) {
  const std::string lanes = R"(
lanes:
  - {name: local, kind: local, base_url: "http://127.0.0.1:1/v1", models: [{alias: chat, upstream: m}]}
  - {name: cloud, kind: managed, base_url: "https://x.example/v1", models: [{alias: p, upstream: m}],
     price: {input_per_mtok: 1, output_per_mtok: 2}}
policy:
  data_classes: [{name: public, crossing: allow}]
)";
  config::LoadOptions options;
  options.env = [](const std::string&) { return std::optional<std::string>(); };
  const std::string model =
      std::string("  inspection: {difficulty_dir: ") + LANEWISE_SOURCE_DIR + "/data/difficulty}\n";
  const std::string rule =
      "  rules: [{name: r, route: {strategy: capability, weak: local, strong: cloud, "
      "objective: OBJ}}]\n";
  auto with = [&](const std::string& objective, bool with_model) {
    std::string r = rule;
    r.replace(r.find("OBJ"), 3, objective);
    return config::LoadConfigString(lanes + (with_model ? model : "") + r, "t.yaml", options);
  };
  EXPECT_TRUE(with("cost", true).ok());
  auto no_model = with("cost", false);
  ASSERT_FALSE(no_model.ok());
  EXPECT_NE(no_model.status().message().find("difficulty_dir"), std::string::npos);
  EXPECT_FALSE(with("cheap", true).ok());
  // Without difficulty_dir, the model beside the gazetteer folder is found (data/ ships both).
  const std::string gazetteers =
      std::string("  inspection: {gazetteer_dir: ") + LANEWISE_SOURCE_DIR + "/data/gazetteers/}\n";
  std::string cost_rule = rule;
  cost_rule.replace(cost_rule.find("OBJ"), 3, "cost");
  auto beside = config::LoadConfigString(lanes + gazetteers + cost_rule, "t.yaml", options);
  ASSERT_TRUE(beside.ok()) << beside.status().message();
  EXPECT_FALSE(beside.value()->policy->difficulty_calibration.empty());
  auto bad_price = config::LoadConfigString(
      R"(
lanes:
  - {name: local, kind: local, base_url: "http://127.0.0.1:1/v1", models: [{alias: chat, upstream: m}],
     price: {per_token: 1}}
)",
      "t.yaml", options);
  EXPECT_FALSE(bad_price.ok());
}

}  // namespace
}  // namespace lanewise::policy
