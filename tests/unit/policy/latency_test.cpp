// Latency in the decision: each attempt's predicted time to first token and total, the
// queue from in-flight calls against the lane's slots, and deadlines (the request's
// x-lanewise-deadline-ms or its tier's) preferring lanes predicted to meet them.
#include <gtest/gtest.h>

#include "policy/engine.h"
#include "policy/latency_estimate.h"
#include "policy_fixture.h"

namespace lanewise::policy {
namespace {

using testing::FixedContext;
using testing::HasReason;
using testing::LoadOrDie;
using testing::PlanLanes;
using Lanes = std::vector<std::string>;

const char* kYaml = R"(
lanes:
  - name: local
    kind: local
    base_url: http://127.0.0.1:8081/v1
    models: [{alias: chat, upstream: llama}]
    slots: 2
  - name: cloud
    kind: managed
    base_url: https://api.example.com/v1
    models: [{alias: chat, upstream: gpt-4o}]
policy:
  data_classes:
    - {name: public, crossing: allow}
    - {name: restricted, lanes: [local], crossing: deny}
  classification:
    default: public
    by_score: [{min_score: 0.8, class: restricted}]
  latency_tiers:
    interactive: {deadline_ms: 3000}
  default: {lane: local, fallbacks: [cloud]}
)";

core::LaneLatencyEstimate Speed(double rtt, double prefill, double decode, int in_flight = 0) {
  core::LaneLatencyEstimate e;
  e.samples = 10;
  e.rtt_ms = rtt;
  e.prefill_ms_per_token = prefill;
  e.decode_ms_per_token = decode;
  e.service_ms = 2000;
  e.in_flight = in_flight;
  return e;
}

core::Facts Facts(long long deadline_ms = 0, double sensitivity = 0.0) {
  core::Facts f;
  f.model_alias = "chat";
  f.estimated_input_tokens = 1000;
  f.max_output_tokens = 100;
  f.deadline_ms = deadline_ms;
  f.sensitivity_score = sensitivity;
  return f;
}

// local: 10 + 1000 x 1 + 100 x 40 = 5010 ms; cloud: 300 + 1000 x 0.1 + 100 x 10 = 1400 ms.
core::LaneStates States(int local_in_flight = 0) {
  core::LaneStates states;
  states["local"].latency = Speed(10, 1.0, 40, local_in_flight);
  states["cloud"].latency = Speed(300, 0.1, 10);
  return states;
}

TEST(LatencyEstimateTest, PrefillDecodeAndQueue) {
  const LatencyPrediction idle = PredictLatency(Speed(10, 1.0, 40), 2, Facts());
  ASSERT_TRUE(idle.known);
  EXPECT_DOUBLE_EQ(idle.ttft_ms, 1010);
  EXPECT_DOUBLE_EQ(idle.total_ms, 5010);
  EXPECT_DOUBLE_EQ(idle.queue_ms, 0);
  // Three in flight on two slots: this one waits (3 - 2 + 0.5) x 2000 / 2.
  const LatencyPrediction busy = PredictLatency(Speed(10, 1.0, 40, 3), 2, Facts());
  EXPECT_DOUBLE_EQ(busy.queue_ms, 1500);
  EXPECT_DOUBLE_EQ(busy.ttft_ms, 2510);
  core::LaneLatencyEstimate few = Speed(10, 1, 40);
  few.samples = kMinLatencySamples - 1;
  EXPECT_FALSE(PredictLatency(few, 2, Facts()).known);
}

TEST(LatencyDecisionTest, AttemptsCarryPredictionsAndExplainShowsThem) {
  auto config = LoadOrDie(kYaml);
  Explanation e;
  core::RouteDecision d = Decide(Facts(), *config, States(), FixedContext(), &e);
  ASSERT_EQ(PlanLanes(d), (Lanes{"local", "cloud"}));
  EXPECT_DOUBLE_EQ(d.plan[0].predicted_ttft_ms, 1010);
  EXPECT_DOUBLE_EQ(d.plan[0].predicted_total_ms, 5010);
  EXPECT_DOUBLE_EQ(d.plan[1].predicted_total_ms, 1400);
  ASSERT_EQ(e.candidates.size(), 2u);
  EXPECT_DOUBLE_EQ(e.candidates[0].predicted_ttft_ms, 1010);
  EXPECT_DOUBLE_EQ(e.candidates[1].predicted_total_ms, 1400);
  const auto json = ToJson(e);
  EXPECT_DOUBLE_EQ(json.at("candidates").at(1).at("predicted_total_ms").as_double(), 1400);
  // Nothing learned yet: null.
  Explanation unknown;
  Decide(Facts(), *config, {}, FixedContext(), &unknown);
  EXPECT_TRUE(ToJson(unknown).at("candidates").at(0).at("predicted_ttft_ms").is_null());
}

TEST(LatencyDecisionTest, ADeadlinePrefersLanesPredictedToMeetIt) {
  auto config = LoadOrDie(kYaml);
  core::RouteDecision loose = Decide(Facts(10000), *config, States(), FixedContext());
  EXPECT_EQ(PlanLanes(loose), (Lanes{"local", "cloud"}));
  core::RouteDecision tight = Decide(Facts(2000), *config, States(), FixedContext());
  EXPECT_EQ(PlanLanes(tight), (Lanes{"cloud", "local"}));
  EXPECT_EQ(tight.plan[0].role, "primary");
  EXPECT_EQ(tight.plan[1].role, "fallback");
  EXPECT_EQ(tight.deadline_ms, 2000);
  EXPECT_TRUE(HasReason(tight, "deadline_reordered"));
  // Nobody meets it: the fastest leads.
  core::RouteDecision impossible = Decide(Facts(100), *config, States(), FixedContext());
  EXPECT_EQ(PlanLanes(impossible), (Lanes{"cloud", "local"}));
  EXPECT_TRUE(HasReason(impossible, "deadline_unmet"));
}

TEST(LatencyDecisionTest, TheTierGivesADeadlineAndTheClassStillDecides) {
  auto config = LoadOrDie(kYaml);
  core::Facts interactive = Facts();
  interactive.latency_tier = core::LatencyTier::kInteractive;
  core::RouteDecision d = Decide(interactive, *config, States(), FixedContext());
  EXPECT_EQ(d.deadline_ms, 3000);
  EXPECT_EQ(PlanLanes(d), (Lanes{"cloud", "local"}));
  // A restricted request never goes to the cloud, however late the local lane is.
  core::RouteDecision restricted = Decide(Facts(100, 0.9), *config, States(), FixedContext());
  EXPECT_EQ(restricted.data_class, "restricted");
  EXPECT_EQ(PlanLanes(restricted), (Lanes{"local"}));
}

TEST(LatencyDecisionTest, AQueueOnTheLocalLaneCountsAgainstIt) {
  auto config = LoadOrDie(kYaml);
  core::LaneStates states = States();
  states["local"].latency = Speed(10, 0.1, 5);  // 10 + 100 + 500 = 610 ms idle
  EXPECT_EQ(PlanLanes(Decide(Facts(1000), *config, states, FixedContext())),
            (Lanes{"local", "cloud"}));
  states["local"].latency.in_flight = 4;  // + (4 - 2 + 0.5) x 2000 / 2 = 2500 ms queue
  EXPECT_EQ(PlanLanes(Decide(Facts(1000), *config, states, FixedContext())),
            (Lanes{"cloud", "local"}));
}

}  // namespace
}  // namespace lanewise::policy
