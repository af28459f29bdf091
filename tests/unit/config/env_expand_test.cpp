#include "config/env_expand.h"

#include <gtest/gtest.h>

#include <map>

namespace lanewise::config {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(EnvExpandTest, PlainTextIsUnchanged) {
  auto r = ExpandEnv("http://127.0.0.1:8081/v1", FakeEnv({}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "http://127.0.0.1:8081/v1");
}

TEST(EnvExpandTest, SubstitutesSetVariable) {
  auto r = ExpandEnv("https://${HOST}/v1", FakeEnv({{"HOST", "api.example.com"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "https://api.example.com/v1");
}

TEST(EnvExpandTest, DefaultWhenUnsetOrEmpty) {
  auto unset = ExpandEnv("${LOCAL_LLM_URL:-http://127.0.0.1:8081/v1}", FakeEnv({}));
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(*unset, "http://127.0.0.1:8081/v1");
  auto empty = ExpandEnv("${X:-d}", FakeEnv({{"X", ""}}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "d");
  auto set = ExpandEnv("${X:-d}", FakeEnv({{"X", "v"}}));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(*set, "v");
}

TEST(EnvExpandTest, UnsetWithoutDefaultNamesTheVariable) {
  auto r = ExpandEnv("a${MISSING_VAR}b", FakeEnv({}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("MISSING_VAR"), std::string::npos);
}

TEST(EnvExpandTest, DollarEscapesAndLoneDollars) {
  auto r = ExpandEnv("cost $5, $${NOT_A_VAR}, end$", FakeEnv({}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "cost $5, ${NOT_A_VAR}, end$");
}

TEST(EnvExpandTest, MalformedReferences) {
  EXPECT_FALSE(ExpandEnv("${UNTERMINATED", FakeEnv({})).ok());
  EXPECT_FALSE(ExpandEnv("${1BAD}", FakeEnv({})).ok());
  EXPECT_FALSE(ExpandEnv("${}", FakeEnv({})).ok());
}

TEST(EnvExpandTest, VariableNames) {
  EXPECT_TRUE(IsEnvVarName("OPENAI_API_KEY"));
  EXPECT_TRUE(IsEnvVarName("_x1"));
  EXPECT_FALSE(IsEnvVarName("1X"));
  EXPECT_FALSE(IsEnvVarName("A-B"));
  EXPECT_FALSE(IsEnvVarName(""));
}

}  // namespace
}  // namespace lanewise::config
