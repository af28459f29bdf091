#include "policy/engine.h"

#include <gtest/gtest.h>

#include "policy_fixture.h"

namespace lanewise::policy {
namespace {

using testing::ChatFacts;
using testing::FixedContext;
using testing::HasReason;
using testing::PlanLanes;
using testing::PolicyConfig;
using Lanes = std::vector<std::string>;
using Reasons = std::vector<std::string>;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = PolicyConfig();
    ASSERT_TRUE(config_);
  }
  core::RouteDecision Run(const core::Facts& facts, const core::LaneStates& lanes = {}) {
    return Decide(facts, *config_, lanes, FixedContext(), &explanation_);
  }
  const RuleTrace& Trace(const std::string& name) {
    for (const RuleTrace& t : explanation_.rules) {
      if (t.name == name) return t;
    }
    ADD_FAILURE() << "no trace for rule " << name;
    static const RuleTrace kNone;
    return kNone;
  }
  static core::LaneStates Down(std::initializer_list<std::string> names) {
    core::LaneStates states;
    for (const std::string& n : names) states[n].reachable = false;
    return states;
  }
  config::ConfigPtr config_;
  Explanation explanation_;
};

TEST_F(EngineTest, PublicRequestWithoutMatchingRuleRoutesByAlias) {
  core::RouteDecision d = Run(ChatFacts());
  EXPECT_FALSE(d.no_route);
  EXPECT_EQ(d.data_class, "public");
  EXPECT_EQ(PlanLanes(d), (Lanes{"local", "gpu", "cloud"}));
  EXPECT_EQ(d.plan[0].upstream_model, "llama");
  EXPECT_EQ(d.plan[0].role, "primary");
  EXPECT_EQ(d.plan[1].upstream_model, "llama-70b");
  EXPECT_EQ(d.plan[1].role, "fallback");
  EXPECT_EQ(d.plan[2].upstream_model, "gpt-4o-mini");
  EXPECT_FALSE(d.plan[2].redact);
  EXPECT_EQ(d.reasons, (Reasons{"alias_route"}));
  EXPECT_FALSE(d.redaction_required);
  EXPECT_FALSE(d.evidence_required);
  EXPECT_EQ(d.policy_version, config_->version);
  EXPECT_EQ(d.decision_id, "dec_test");
  EXPECT_EQ(d.created_at, FixedContext().now);
}

TEST_F(EngineTest, RestrictedStaysLocal) {
  core::Facts f = ChatFacts();
  f.entity_counts["CREDIT_CARD"] = 1;
  f.latency_tier = core::LatencyTier::kInteractive;
  core::RouteDecision d = Run(f);
  EXPECT_EQ(d.data_class, "restricted");
  EXPECT_EQ(PlanLanes(d), (Lanes{"local"}));
  EXPECT_EQ(d.reasons, (Reasons{"class_restricted_local_only", "rule:interactive-chat",
                                "lane_forbidden_skipped"}));
  EXPECT_TRUE(d.evidence_required);
  EXPECT_FALSE(d.redaction_required);
  EXPECT_EQ(Trace("interactive-chat").forbidden_lanes, (Lanes{"gpu", "cloud"}));
  EXPECT_EQ(Trace("big-context").outcome, "not_matched");
  EXPECT_EQ(Trace("auto").outcome, "not_evaluated");
}

TEST_F(EngineTest, InternalMayReachManagedOnlyRedacted) {
  core::Facts f = ChatFacts();
  f.sensitivity_score = 0.6;
  f.latency_tier = core::LatencyTier::kInteractive;
  core::RouteDecision d = Run(f);
  EXPECT_EQ(d.data_class, "internal");
  EXPECT_EQ(PlanLanes(d), (Lanes{"local", "gpu", "cloud"}));
  EXPECT_FALSE(d.plan[0].redact);
  EXPECT_FALSE(d.plan[1].redact) << "private crossing is allow for internal";
  EXPECT_TRUE(d.plan[2].redact);
  EXPECT_TRUE(d.redaction_required);
  EXPECT_TRUE(d.evidence_required) << "redaction always leaves evidence";
  EXPECT_EQ(d.reasons, (Reasons{"rule:interactive-chat", "redaction_required"}));
}

TEST_F(EngineTest, FirstMatchingRuleWinsWithModelOverride) {
  core::Facts f = ChatFacts();
  f.estimated_input_tokens = 20000;
  f.latency_tier = core::LatencyTier::kInteractive;  // interactive-chat matches too, later
  core::RouteDecision d = Run(f);
  EXPECT_EQ(PlanLanes(d), (Lanes{"cloud", "gpu"}));
  EXPECT_EQ(d.plan[0].upstream_model, "gpt-4o");
  EXPECT_EQ(d.plan[1].upstream_model, "llama-70b");
  EXPECT_EQ(d.reasons, (Reasons{"rule:big-context"}));
  EXPECT_EQ(Trace("big-context").outcome, "chosen");
  EXPECT_EQ(Trace("interactive-chat").outcome, "not_evaluated");
}

TEST_F(EngineTest, RuleClassConditionExcludesSensitiveRequests) {
  core::Facts f = ChatFacts();
  f.estimated_input_tokens = 20000;
  f.entity_counts["US_SSN"] = 1;
  core::RouteDecision d = Run(f);
  EXPECT_EQ(PlanLanes(d), (Lanes{"local"}));
  EXPECT_EQ(Trace("big-context").why_not, "class restricted is above internal");
  EXPECT_EQ(d.reasons,
            (Reasons{"class_restricted_local_only", "alias_route", "lane_forbidden_skipped"}));
}

TEST_F(EngineTest, DownLanesAreSkippedAndThePlanMovesUp) {
  core::Facts f = ChatFacts();
  f.latency_tier = core::LatencyTier::kInteractive;
  core::RouteDecision d = Run(f, Down({"local"}));
  EXPECT_EQ(PlanLanes(d), (Lanes{"gpu", "cloud"}));
  EXPECT_EQ(d.plan[0].role, "primary");
  EXPECT_TRUE(HasReason(d, "lane_down_skipped"));
  EXPECT_EQ(Trace("interactive-chat").down_lanes, (Lanes{"local"}));
  EXPECT_FALSE(explanation_.lanes[0].reachable);
  EXPECT_FALSE(explanation_.lanes[0].in_plan);
  EXPECT_TRUE(explanation_.lanes[1].in_plan);
}

TEST_F(EngineTest, FailsClosedWhenEveryAllowedLaneIsDown) {
  core::Facts f = ChatFacts();
  f.entity_counts["CREDIT_CARD"] = 2;
  core::RouteDecision d = Run(f, Down({"local"}));
  EXPECT_TRUE(d.no_route);
  EXPECT_TRUE(d.plan.empty());
  EXPECT_EQ(d.data_class, "restricted");
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_EQ(d.reasons[0], "all_allowed_lanes_down");
  EXPECT_TRUE(HasReason(d, "lane_down_skipped"));
  core::Status status = DecisionStatus(d);
  EXPECT_EQ(status.code(), core::StatusCode::kUnavailable);  // retryable, not a refusal
  EXPECT_EQ(status.reason(), "all_allowed_lanes_down");
}

TEST_F(EngineTest, AliasOnlyOnForbiddenLanes) {
  core::Facts f = ChatFacts("gpt-4o");
  f.sensitivity_score = 0.9;  // confidential: no managed lane
  core::RouteDecision d = Run(f);
  EXPECT_TRUE(d.no_route);
  EXPECT_EQ(d.reasons,
            (Reasons{"no_allowed_lane", "alias_not_allowed_for_class", "lane_forbidden_skipped"}));
  EXPECT_EQ(DecisionStatus(d).code(), core::StatusCode::kPermissionDenied);
}

TEST_F(EngineTest, RuleWithoutAllowedLaneFallsThroughToTheNext) {
  core::Facts f = ChatFacts();
  f.difficulty = 0.9;
  f.entity_counts["CREDIT_CARD"] = 1;
  core::RouteDecision d = Run(f);
  EXPECT_EQ(Trace("hard").outcome, "no_allowed_lane");
  EXPECT_EQ(Trace("hard").forbidden_lanes, (Lanes{"cloud", "gpu"}));
  EXPECT_EQ(PlanLanes(d), (Lanes{"local"}));
  EXPECT_EQ(explanation_.route_source, "alias");
}

TEST_F(EngineTest, RuleWithAllLanesDownFallsThrough) {
  core::Facts f = ChatFacts();
  f.difficulty = 0.9;
  core::RouteDecision d = Run(f, Down({"cloud", "gpu"}));
  EXPECT_EQ(Trace("hard").outcome, "all_lanes_down");
  EXPECT_EQ(PlanLanes(d), (Lanes{"local"}));
}

TEST_F(EngineTest, VirtualAliasUsesTheLanesFirstModel) {
  core::RouteDecision d = Run(ChatFacts("auto"));
  EXPECT_EQ(PlanLanes(d), (Lanes{"gpu", "local"}));
  EXPECT_EQ(d.plan[0].upstream_model, "llama-70b");
  EXPECT_EQ(d.plan[1].upstream_model, "llama");
}

TEST_F(EngineTest, UnknownModelIsNotFound) {
  core::RouteDecision d = Run(ChatFacts("gpt-5"));
  EXPECT_TRUE(d.no_route);
  EXPECT_EQ(d.reasons[0], "unknown_model");
  EXPECT_EQ(DecisionStatus(d).code(), core::StatusCode::kNotFound);
  EXPECT_EQ(DecisionStatus(d).reason(), "unknown_model");
}

TEST_F(EngineTest, UnknownDeclaredClassIsABadRequest) {
  core::Facts f = ChatFacts();
  f.declared_data_class = "secret";
  core::RouteDecision d = Run(f);
  EXPECT_TRUE(d.no_route);
  EXPECT_TRUE(d.plan.empty());
  EXPECT_EQ(d.reasons, (Reasons{"unknown_data_class"}));
  EXPECT_TRUE(d.data_class.empty());
  EXPECT_EQ(DecisionStatus(d).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecisionStatus(d).reason(), "unknown_data_class");
}

TEST_F(EngineTest, DeclaredClassReasons) {
  core::Facts f = ChatFacts();
  f.declared_data_class = "restricted";
  core::RouteDecision raised = Run(f);
  EXPECT_EQ(raised.data_class, "restricted");
  EXPECT_EQ(PlanLanes(raised), (Lanes{"local"}));
  EXPECT_TRUE(HasReason(raised, "declared_class_raised"));

  core::Facts lower = ChatFacts();
  lower.entity_counts["CREDIT_CARD"] = 1;
  lower.declared_data_class = "public";
  core::RouteDecision ignored = Run(lower);
  EXPECT_EQ(ignored.data_class, "restricted");
  EXPECT_TRUE(HasReason(ignored, "declared_class_lower_ignored"));

  lower.tenant = "research";
  core::RouteDecision lowered = Run(lower);
  EXPECT_EQ(lowered.data_class, "public");
  EXPECT_TRUE(HasReason(lowered, "declared_class_lowered"));
  EXPECT_EQ(PlanLanes(lowered), (Lanes{"local", "gpu", "cloud"}));

  core::Facts legal = ChatFacts();
  legal.tenant = "legal";
  core::RouteDecision floored = Run(legal);
  EXPECT_EQ(floored.data_class, "confidential");
  EXPECT_TRUE(HasReason(floored, "tenant_class_floor"));
  EXPECT_EQ(PlanLanes(floored), (Lanes{"local", "gpu"}));
}

TEST_F(EngineTest, ConditionSignals) {
  core::Facts f = ChatFacts();
  f.needs_tools = true;
  f.tenant = "research";
  EXPECT_EQ(PlanLanes(Run(f)), (Lanes{"cloud"}));
  f.tenant = "other";
  Run(f);
  EXPECT_EQ(Trace("research-tools").why_not, "tenant \"other\" is not one of research");
  EXPECT_EQ(Trace("hard").why_not, "difficulty was not scored");
  EXPECT_EQ(Trace("interactive-chat").why_not,
            "latency tier is unspecified, rule wants interactive");
  EXPECT_EQ(Trace("big-context").why_not, "estimated input tokens 0 < min 10000");
  EXPECT_EQ(Trace("auto").why_not, "model \"chat\" is not one of auto");
}

TEST_F(EngineTest, DefaultRouteWhenNoRuleApplies) {
  config_ = PolicyConfig(
      "  default: {lane: gpu, fallbacks: [{lane: cloud, model: gpt-4o}, "
      "local]}\n");
  ASSERT_TRUE(config_);
  core::RouteDecision d = Run(ChatFacts("code"));
  EXPECT_EQ(PlanLanes(d), (Lanes{"gpu", "cloud", "local"}));
  EXPECT_EQ(d.plan[0].upstream_model, "llama-70b") << "gpu does not serve code: first model";
  EXPECT_EQ(d.plan[1].upstream_model, "gpt-4o");
  EXPECT_EQ(d.plan[2].upstream_model, "coder");
  EXPECT_EQ(d.reasons, (Reasons{"default_route"}));
  EXPECT_EQ(explanation_.route_source, "default");
}

TEST_F(EngineTest, FreshIdAndClockWhenTheContextHasNone) {
  const auto before = std::chrono::system_clock::now();
  core::RouteDecision d = Decide(ChatFacts(), *config_, {}, DecideContext{});
  EXPECT_EQ(d.decision_id.rfind("dec_", 0), 0u);
  EXPECT_GT(d.decision_id.size(), 4u);
  EXPECT_GE(d.created_at, before);
  EXPECT_NE(Decide(ChatFacts(), *config_, {}, DecideContext{}).decision_id, d.decision_id);
}

TEST_F(EngineTest, SameInputsSameDecision) {
  core::Facts f = ChatFacts();
  f.sensitivity_score = 0.7;
  f.latency_tier = core::LatencyTier::kBatch;
  const core::RouteDecision a = Decide(f, *config_, Down({"gpu"}), FixedContext());
  const core::RouteDecision b = Decide(f, *config_, Down({"gpu"}), FixedContext());
  EXPECT_EQ(PlanLanes(a), PlanLanes(b));
  EXPECT_EQ(a.reasons, b.reasons);
  EXPECT_EQ(a.data_class, b.data_class);
}

// Quickstart: no policy section.
class NoPolicyEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = testing::LoadOrDie(
        "lanes:\n"
        "  - {name: local, kind: local, base_url: 'http://h:1/v1', models: [{alias: "
        "local-chat, upstream: tiny}]}\n"
        "  - {name: cloud, kind: managed, base_url: 'https://c/v1', models: [{alias: "
        "cloud-chat, upstream: gpt-4o-mini}]}\n");
    ASSERT_TRUE(config_);
  }
  config::ConfigPtr config_;
};

TEST_F(NoPolicyEngineTest, PlainAliasRouting) {
  core::RouteDecision d = Decide(ChatFacts("cloud-chat"), *config_, {}, FixedContext());
  EXPECT_FALSE(d.no_route);
  EXPECT_EQ(d.data_class, "public");
  EXPECT_EQ(PlanLanes(d), (Lanes{"cloud"}));
  EXPECT_EQ(d.plan[0].upstream_model, "gpt-4o-mini");
  EXPECT_FALSE(d.plan[0].redact);
  EXPECT_EQ(d.reasons, (Reasons{"alias_route", "no_policy"}));
  EXPECT_TRUE(DecisionStatus(d).ok());
}

TEST_F(NoPolicyEngineTest, FailuresAreVisible) {
  core::RouteDecision unknown = Decide(ChatFacts("gpt-5"), *config_, {}, FixedContext());
  EXPECT_TRUE(unknown.no_route);
  EXPECT_EQ(unknown.reasons[0], "unknown_model");

  core::Facts declared = ChatFacts("local-chat");
  declared.declared_data_class = "restricted";
  core::RouteDecision refused = Decide(declared, *config_, {}, FixedContext());
  EXPECT_TRUE(refused.no_route) << "without a policy only \"public\" exists";
  EXPECT_EQ(refused.reasons[0], "unknown_data_class");
  declared.declared_data_class = "public";
  EXPECT_FALSE(Decide(declared, *config_, {}, FixedContext()).no_route);

  core::LaneStates down;
  down["local"].reachable = false;
  core::RouteDecision d = Decide(ChatFacts("local-chat"), *config_, down, FixedContext());
  EXPECT_TRUE(d.no_route);
  EXPECT_EQ(d.reasons[0], "all_allowed_lanes_down");
}

}  // namespace
}  // namespace lanewise::policy
