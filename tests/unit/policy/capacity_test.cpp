// Capacity in the decision: a lane that degrades when full is followed by its smaller
// model lane, only where the class allows it; roles survive cost caps and deadlines.
#include <gtest/gtest.h>

#include "policy/engine.h"
#include "policy_fixture.h"

namespace lanewise::policy {
namespace {

using testing::FixedContext;
using testing::LoadOrDie;
using testing::PlanLanes;
using Lanes = std::vector<std::string>;

const char* kYaml = R"(
lanes:
  - name: big
    kind: private
    base_url: http://10.0.0.1/v1
    models: [{alias: chat, upstream: llama-70b}]
    capacity: {max_concurrency: 4, when_full: degrade, degrade_to: small}
  - name: small
    kind: private
    base_url: http://10.0.0.2/v1
    models: [{alias: chat-small, upstream: llama-8b}]
  - name: local
    kind: local
    base_url: http://127.0.0.1:8081/v1
    models: [{alias: chat, upstream: llama-3b}]
policy:
  data_classes:
    - {name: public, crossing: allow}
    - {name: onprem, lanes: [big, local], crossing: {private: allow}}
  classification:
    default: public
    by_score: [{min_score: 0.5, class: onprem}]
  default: {lane: big, fallbacks: [local]}
)";

core::Facts Facts(double sensitivity = 0.0) {
  core::Facts f;
  f.model_alias = "chat";
  f.sensitivity_score = sensitivity;
  return f;
}

TEST(CapacityDecisionTest, AFullLaneDegradesToItsSmallerLane) {
  auto config = LoadOrDie(kYaml);
  ASSERT_EQ(config->lanes[0].capacity.degrade_index, 1u);
  core::RouteDecision d = Decide(Facts(), *config, {}, FixedContext());
  ASSERT_EQ(PlanLanes(d), (Lanes{"big", "small", "local"}));
  EXPECT_EQ(d.plan[1].role, "degrade");
  EXPECT_EQ(d.plan[1].upstream_model, "llama-8b");
  EXPECT_EQ(d.plan[2].role, "fallback");
}

TEST(CapacityDecisionTest, NeverDegradesToALaneTheClassForbids) {
  auto config = LoadOrDie(kYaml);
  core::RouteDecision d = Decide(Facts(0.6), *config, {}, FixedContext());
  EXPECT_EQ(d.data_class, "onprem");
  EXPECT_EQ(PlanLanes(d), (Lanes{"big", "local"}));
}

TEST(CapacityDecisionTest, DegradeLaneThatIsDownIsLeftOut) {
  auto config = LoadOrDie(kYaml);
  core::LaneStates states;
  states["small"].reachable = false;
  EXPECT_EQ(PlanLanes(Decide(Facts(), *config, states, FixedContext())), (Lanes{"big", "local"}));
}

}  // namespace
}  // namespace lanewise::policy
