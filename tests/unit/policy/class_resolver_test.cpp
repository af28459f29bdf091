#include "policy/class_resolver.h"

#include <gtest/gtest.h>

#include "policy_fixture.h"

namespace lanewise::policy {
namespace {

using testing::ChatFacts;
using testing::PolicyConfig;

class ClassResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = PolicyConfig();
    ASSERT_TRUE(config_);
  }
  std::string Effective(const core::Facts& facts) {
    ResolvedClass r = ResolveClass(facts, *config_->policy);
    return r.data_class == nullptr ? "<unknown>" : r.data_class->name;
  }
  config::ConfigPtr config_;
};

TEST_F(ClassResolverTest, DefaultWhenNothingFound) {
  ResolvedClass r = ResolveClass(ChatFacts(), *config_->policy);
  ASSERT_NE(r.data_class, nullptr);
  EXPECT_EQ(r.data_class->name, "public");
  EXPECT_EQ(r.verdict.detected, "public");
  ASSERT_EQ(r.verdict.evidence.size(), 1u);
  EXPECT_EQ(r.verdict.evidence[0].source, "default");
}

TEST_F(ClassResolverTest, ScoreThresholdsAreInclusive) {
  core::Facts f = ChatFacts();
  f.sensitivity_score = 0.49;
  EXPECT_EQ(Effective(f), "public");
  f.sensitivity_score = 0.5;
  EXPECT_EQ(Effective(f), "internal");
  f.sensitivity_score = 0.95;
  EXPECT_EQ(Effective(f), "confidential");
  ResolvedClass r = ResolveClass(f, *config_->policy);
  EXPECT_EQ(r.verdict.evidence.back().source, "score");
  EXPECT_EQ(r.verdict.evidence.back().detail, "sensitivity score 0.95 >= 0.8");
}

TEST_F(ClassResolverTest, EntityTypesRaiseTheClass) {
  core::Facts f = ChatFacts();
  f.entity_counts["CREDIT_CARD"] = 1;
  EXPECT_EQ(Effective(f), "restricted");

  core::Facts person = ChatFacts();
  person.entity_counts["PERSON"] = 1;
  EXPECT_EQ(Effective(person), "public") << "min_count 2 not reached";
  person.entity_counts["EMAIL_ADDRESS"] = 1;
  EXPECT_EQ(Effective(person), "confidential") << "counts add up across the listed types";
  ResolvedClass r = ResolveClass(person, *config_->policy);
  EXPECT_EQ(r.verdict.evidence.back().detail, "PERSON x1, EMAIL_ADDRESS x1 (min 2)");

  // Entities given only as a list count too.
  core::Facts listed = ChatFacts();
  listed.entities.push_back({"US_SSN", "/messages/0/content", 3, 14, 0.9});
  EXPECT_EQ(Effective(listed), "restricted");
}

TEST_F(ClassResolverTest, WildcardCountsEveryEntity) {
  core::Facts f = ChatFacts();
  f.entity_counts["URL"] = 6;
  f.entity_counts["IP_ADDRESS"] = 3;
  EXPECT_EQ(Effective(f), "public");
  f.entity_counts["IP_ADDRESS"] = 4;
  EXPECT_EQ(Effective(f), "internal");
}

TEST_F(ClassResolverTest, LevelThreshold) {
  core::Facts f = ChatFacts();
  f.max_entity_sensitivity = 3;
  EXPECT_EQ(Effective(f), "public");
  f.max_entity_sensitivity = 4;
  EXPECT_EQ(Effective(f), "restricted");
}

TEST_F(ClassResolverTest, MostSensitiveMatchWins) {
  core::Facts f = ChatFacts();
  f.sensitivity_score = 0.6;           // internal
  f.entity_counts["CREDIT_CARD"] = 1;  // restricted
  EXPECT_EQ(Effective(f), "restricted");
}

TEST_F(ClassResolverTest, DeclarationRaisesNeverLowers) {
  core::Facts f = ChatFacts();
  f.declared_data_class = "confidential";
  ResolvedClass raised = ResolveClass(f, *config_->policy);
  EXPECT_EQ(raised.data_class->name, "confidential");
  EXPECT_TRUE(raised.verdict.declared_raised);
  EXPECT_EQ(raised.verdict.detected, "public");

  core::Facts card = ChatFacts();
  card.entity_counts["CREDIT_CARD"] = 1;
  card.declared_data_class = "public";
  ResolvedClass kept = ResolveClass(card, *config_->policy);
  EXPECT_EQ(kept.data_class->name, "restricted");
  EXPECT_TRUE(kept.verdict.declared_lower_ignored);
  EXPECT_FALSE(kept.verdict.declared_lowered);
}

TEST_F(ClassResolverTest, DeclaredNamesAreCaseAndSpaceInsensitive) {
  core::Facts f = ChatFacts();
  f.declared_data_class = " Internal ";
  EXPECT_EQ(Effective(f), "internal");
}

TEST_F(ClassResolverTest, UnknownDeclaredClassHasNoClass) {
  core::Facts f = ChatFacts();
  f.declared_data_class = "top-secret";
  ResolvedClass r = ResolveClass(f, *config_->policy);
  EXPECT_EQ(r.data_class, nullptr);
  EXPECT_TRUE(r.verdict.declared_unknown);
  EXPECT_TRUE(r.verdict.effective.empty());
}

TEST_F(ClassResolverTest, TenantMayLower) {
  core::Facts f = ChatFacts();
  f.entity_counts["CREDIT_CARD"] = 1;
  f.declared_data_class = "internal";
  f.tenant = "research";
  ResolvedClass r = ResolveClass(f, *config_->policy);
  EXPECT_EQ(r.data_class->name, "internal");
  EXPECT_TRUE(r.verdict.declared_lowered);
  f.tenant = "someone-else";
  EXPECT_EQ(Effective(f), "restricted");
}

TEST_F(ClassResolverTest, TenantFloor) {
  core::Facts f = ChatFacts();
  f.tenant = "legal";
  ResolvedClass r = ResolveClass(f, *config_->policy);
  EXPECT_EQ(r.data_class->name, "confidential");
  EXPECT_TRUE(r.verdict.tenant_floor_applied);
  f.entity_counts["US_SSN"] = 1;
  EXPECT_EQ(Effective(f), "restricted") << "a floor never lowers";
}

}  // namespace
}  // namespace lanewise::policy
