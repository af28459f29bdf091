#include "policy/explanation.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "policy/engine.h"
#include "policy_fixture.h"

namespace lanewise::policy {
namespace {

using testing::ChatFacts;
using testing::FixedContext;

TEST(ExplanationTest, ExplainsClassRulesAndLanesWithoutValues) {
  config::ConfigPtr config = testing::PolicyConfig();
  ASSERT_TRUE(config);
  core::Facts f = ChatFacts();
  f.latency_tier = core::LatencyTier::kInteractive;
  f.entities.push_back({"CREDIT_CARD", "/messages/0/content/secret-pointer", 10, 26, 0.99});
  f.entity_counts["CREDIT_CARD"] = 1;
  f.sensitivity_score = 0.9;
  f.declared_data_class = "internal";
  core::LaneStates lanes;
  lanes["gpu"].reachable = false;

  boost::json::object out = ExplainDecision(f, *config, lanes, FixedContext());
  const std::string text = boost::json::serialize(out);
  EXPECT_EQ(text.find("secret-pointer"), std::string::npos) << text;

  const auto& decision = out.at("decision").as_object();
  EXPECT_EQ(decision.at("data_class").as_string(), "restricted");
  EXPECT_EQ(decision.at("decision_id").as_string(), "dec_test");
  EXPECT_EQ(decision.at("created_at").as_string(), "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(decision.at("plan").as_array().size(), 1u);
  EXPECT_EQ(decision.at("plan").as_array()[0].as_object().at("lane").as_string(), "local");

  const auto& cls = out.at("class").as_object();
  EXPECT_EQ(cls.at("detected").as_string(), "restricted");
  EXPECT_EQ(cls.at("declared").as_string(), "internal");
  EXPECT_TRUE(cls.at("declared_lower_ignored").as_bool());
  bool saw_entity = false;
  for (const auto& ev : cls.at("evidence").as_array()) {
    const auto& o = ev.as_object();
    if (o.at("source").as_string() == "entity") {
      saw_entity = true;
      EXPECT_EQ(o.at("class").as_string(), "restricted");
      EXPECT_EQ(o.at("detail").as_string(), "CREDIT_CARD x1 (min 1)");
    }
  }
  EXPECT_TRUE(saw_entity);

  const auto& rules = out.at("rules").as_array();
  ASSERT_EQ(rules.size(), 5u);
  EXPECT_EQ(rules[0].as_object().at("outcome").as_string(), "not_matched");
  EXPECT_EQ(rules[1].as_object().at("outcome").as_string(), "chosen");
  EXPECT_EQ(rules[2].as_object().at("outcome").as_string(), "not_evaluated");
  EXPECT_EQ(out.at("route_source").as_string(), "rule:interactive-chat");

  const auto& lane_list = out.at("lanes").as_array();
  ASSERT_EQ(lane_list.size(), 3u);
  EXPECT_EQ(lane_list[2].as_object().at("access").as_string(), "forbidden");
  EXPECT_FALSE(lane_list[1].as_object().at("reachable").as_bool());

  const auto& facts = out.at("facts").as_object();
  EXPECT_EQ(facts.at("entity_counts").as_object().at("CREDIT_CARD").as_int64(), 1);
  EXPECT_EQ(facts.at("latency_tier").as_string(), "interactive");
  EXPECT_EQ(out.at("policy_version").as_string(), config->version);
}

TEST(ExplanationTest, EntityListWithoutCountsIsCounted) {
  core::Facts f;
  f.entities.push_back({"PERSON", "/a", 0, 3, 0.5});
  f.entities.push_back({"PERSON", "/b", 0, 3, 0.5});
  boost::json::object facts = FactsToJson(f);
  EXPECT_EQ(facts.at("entity_counts").as_object().at("PERSON").as_int64(), 2);
}

}  // namespace
}  // namespace lanewise::policy
