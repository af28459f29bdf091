// Cascade routes (docs/policy.md, "Cascades"): the first lane is judged and the next
// allowed one is its escalation; the class shapes the plan exactly as for fallbacks.
#include <gtest/gtest.h>

#include "policy/engine.h"
#include "policy_fixture.h"

namespace lanewise::policy {
namespace {

using testing::FixedContext;
using testing::HasReason;
using testing::LoadOrDie;
using testing::PlanLanes;
using Lanes = std::vector<std::string>;

std::string Yaml(const std::string& route_extra = "") {
  return R"(
lanes:
  - name: local
    kind: local
    base_url: http://127.0.0.1:8081/v1
    models: [{alias: chat, upstream: llama}]
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
  default: {strategy: cascade, first: local, then: cloud, threshold: 0.7)" +
         route_extra + "}\n";
}

core::Facts Facts(double sensitivity = 0.0) {
  core::Facts f;
  f.model_alias = "chat";
  f.sensitivity_score = sensitivity;
  f.estimated_input_tokens = 1000;
  f.max_output_tokens = 500;
  return f;
}

TEST(CascadeRouteTest, FirstLaneIsJudgedAndTheNextEscalates) {
  auto config = LoadOrDie(Yaml());
  Explanation e;
  core::RouteDecision d = Decide(Facts(), *config, {}, FixedContext(), &e);
  ASSERT_EQ(PlanLanes(d), (Lanes{"local", "cloud"}));
  EXPECT_TRUE(d.plan[0].verify);
  EXPECT_FALSE(d.plan[1].verify);
  EXPECT_EQ(d.plan[1].role, "escalation");
  EXPECT_FALSE(d.plan[1].redact);
  ASSERT_TRUE(d.cascade.has_value());
  EXPECT_DOUBLE_EQ(d.cascade->threshold, 0.7);
  EXPECT_TRUE(d.cascade->escalate_on_refusal);
  EXPECT_TRUE(d.cascade->escalate_on_truncation);
  EXPECT_TRUE(HasReason(d, "cascade"));
  EXPECT_GT(d.strong_cost_usd, 0.0);  // the escalation's estimate
  ASSERT_EQ(e.candidates.size(), 2u);
  EXPECT_EQ(e.candidates[0].role, "first");
  EXPECT_EQ(e.candidates[0].outcome, "chosen");
  EXPECT_NE(e.candidates[0].why.find("0.7"), std::string::npos);
  EXPECT_EQ(e.candidates[1].role, "then");
  EXPECT_EQ(e.candidates[1].outcome, "escalation");
  const auto json = ToJson(d);
  EXPECT_DOUBLE_EQ(json.at("cascade").at("threshold").as_double(), 0.7);
}

TEST(CascadeRouteTest, EscalationToARedactLaneIsRedacted) {
  auto config = LoadOrDie(Yaml());
  core::RouteDecision d = Decide(Facts(0.6), *config, {}, FixedContext());
  EXPECT_EQ(d.data_class, "confidential");
  ASSERT_EQ(PlanLanes(d), (Lanes{"local", "cloud"}));
  EXPECT_TRUE(d.plan[0].verify);
  EXPECT_FALSE(d.plan[0].redact);
  EXPECT_TRUE(d.plan[1].redact);
  EXPECT_TRUE(d.redaction_required);
}

TEST(CascadeRouteTest, RestrictedRequestNeverEscalates) {
  auto config = LoadOrDie(Yaml());
  core::RouteDecision d = Decide(Facts(0.9), *config, {}, FixedContext());
  EXPECT_EQ(d.data_class, "restricted");
  ASSERT_EQ(PlanLanes(d), (Lanes{"local"}));
  EXPECT_FALSE(d.plan[0].verify);  // nothing to escalate to: the answer is served as is
  EXPECT_FALSE(d.cascade.has_value());
  EXPECT_TRUE(HasReason(d, "cascade_no_escalation"));
  EXPECT_TRUE(HasReason(d, reason::kLaneForbiddenSkipped));
}

TEST(CascadeRouteTest, FirstLaneDownMeansThePlainFallback) {
  auto config = LoadOrDie(Yaml());
  core::LaneStates states;
  states["local"].reachable = false;
  core::RouteDecision d = Decide(Facts(), *config, states, FixedContext());
  ASSERT_EQ(PlanLanes(d), (Lanes{"cloud"}));
  EXPECT_FALSE(d.plan[0].verify);
  EXPECT_FALSE(d.cascade.has_value());
  EXPECT_TRUE(HasReason(d, "cascade_first_unavailable"));
}

TEST(CascadeRouteTest, SignalsAndBufferAreConfigurable) {
  auto config =
      LoadOrDie(Yaml(", escalate_on: [low_confidence], unscored: escalate, stream_buffer_kb: 8"));
  core::RouteDecision d = Decide(Facts(), *config, {}, FixedContext());
  ASSERT_TRUE(d.cascade.has_value());
  EXPECT_FALSE(d.cascade->escalate_on_refusal);
  EXPECT_FALSE(d.cascade->escalate_on_truncation);
  EXPECT_TRUE(d.cascade->escalate_unscored);
  EXPECT_EQ(d.cascade->stream_buffer_bytes, 8u * 1024u);
}

}  // namespace
}  // namespace lanewise::policy
