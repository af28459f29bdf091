// Sessions in the decision: taint (a session's class only rises, whatever the turn
// carries or declares) and affinity (the session's lane leads while the class allows it),
// with hysteresis against deadline-driven flapping.
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

const char* kYaml = R"(
lanes:
  - name: local
    kind: local
    base_url: http://127.0.0.1:8081/v1
    models: [{alias: chat, upstream: llama}]
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
  tenants:
    research: {may_lower_class: true}
  default: {lane: cloud, fallbacks: [local]}
)";

core::Facts Turn(std::string session_class = "", std::string session_lane = "") {
  core::Facts f;
  f.model_alias = "chat";
  f.session_class = std::move(session_class);
  f.session_lane = std::move(session_lane);
  return f;
}

TEST(SessionDecisionTest, ASessionsClassOnlyRises) {
  auto config = LoadOrDie(kYaml);
  Explanation e;
  core::RouteDecision d = Decide(Turn("restricted"), *config, {}, FixedContext(), &e);
  EXPECT_EQ(d.data_class, "restricted");
  EXPECT_EQ(PlanLanes(d), (Lanes{"local"}));
  EXPECT_TRUE(HasReason(d, "session_class_floor"));
  EXPECT_TRUE(e.data_class.session_floor_applied);
  // Not even a tenant allowed to lower its declared class can undo it.
  core::Facts lowered = Turn("restricted");
  lowered.tenant = "research";
  lowered.declared_data_class = "public";
  EXPECT_EQ(Decide(lowered, *config, {}, FixedContext()).data_class, "restricted");
  // An unknown (stale) class name is ignored; a lower one changes nothing.
  EXPECT_EQ(Decide(Turn("gone"), *config, {}, FixedContext()).data_class, "public");
  core::Facts hot = Turn("public");
  hot.sensitivity_score = 0.9;
  EXPECT_EQ(Decide(hot, *config, {}, FixedContext()).data_class, "restricted");
}

TEST(SessionDecisionTest, TheSessionsLaneLeadsWhileTheClassAllowsIt) {
  auto config = LoadOrDie(kYaml);
  EXPECT_EQ(PlanLanes(Decide(Turn(), *config, {}, FixedContext())), (Lanes{"cloud", "local"}));
  core::RouteDecision sticky = Decide(Turn("public", "local"), *config, {}, FixedContext());
  EXPECT_EQ(PlanLanes(sticky), (Lanes{"local", "cloud"}));
  EXPECT_EQ(sticky.plan[0].role, "primary");
  EXPECT_TRUE(HasReason(sticky, "session_affinity"));
  // The session's lane is down: the plan as usual.
  core::LaneStates states;
  states["local"].reachable = false;
  core::RouteDecision down = Decide(Turn("public", "local"), *config, states, FixedContext());
  EXPECT_EQ(PlanLanes(down), (Lanes{"cloud"}));
  EXPECT_TRUE(HasReason(down, "session_lane_unavailable"));
  // The class rose: the cloud lane it used is no longer allowed.
  core::Facts risen = Turn("public", "cloud");
  risen.sensitivity_score = 0.9;
  EXPECT_EQ(PlanLanes(Decide(risen, *config, {}, FixedContext())), (Lanes{"local"}));
}

TEST(SessionDecisionTest, HysteresisKeepsTheSessionsLaneNearTheDeadline) {
  auto config = LoadOrDie(kYaml);
  core::LaneStates states;
  auto speed = [](double total) {
    core::LaneLatencyEstimate e;
    e.samples = 10;
    e.rtt_ms = 0;
    e.decode_ms_per_token = total / 256;  // no max_tokens: 256 output tokens
    return e;
  };
  states["local"].latency = speed(1100);  // 10% over a 1000 ms deadline
  states["cloud"].latency = speed(500);
  core::Facts fresh = Turn();
  fresh.deadline_ms = 1000;
  EXPECT_EQ(PlanLanes(Decide(fresh, *config, states, FixedContext())), (Lanes{"cloud", "local"}));
  core::Facts sticky = Turn("public", "local");
  sticky.deadline_ms = 1000;
  EXPECT_EQ(PlanLanes(Decide(sticky, *config, states, FixedContext())), (Lanes{"local", "cloud"}));
  states["local"].latency = speed(1300);  // 30% over: beyond the hysteresis, it moves
  EXPECT_EQ(PlanLanes(Decide(sticky, *config, states, FixedContext())), (Lanes{"cloud", "local"}));
}

}  // namespace
}  // namespace lanewise::policy
