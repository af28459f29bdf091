#include "redact/minimum_context.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace lanewise::redact {
namespace {

boost::json::object Conversation() {
  return boost::json::parse(R"({"messages":[
    {"role":"system","content":"s"},
    {"role":"user","content":"u1"},
    {"role":"assistant","content":"a1"},
    {"role":"user","content":"u2"},
    {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"c1","content":"r"},
    {"role":"user","content":"u3"}]})")
      .as_object();
}

std::string Roles(const boost::json::object& body) {
  std::string out;
  for (const auto& m : body.at("messages").as_array()) {
    out += std::string(m.at("role").as_string()) + ",";
  }
  return out;
}

TEST(MinimumContextTest, KeepsTheLastTurnsAndTheSystemPrompt) {
  auto body = Conversation();
  config::MinimumContext limits;
  limits.last_turns = 1;
  auto trim = ApplyMinimumContext(body, limits);
  EXPECT_EQ(Roles(body), "system,user,");
  EXPECT_EQ(body.at("messages").as_array()[1].at("content").as_string(), "u3");
  EXPECT_EQ(trim.messages_dropped, 5);
  EXPECT_FALSE(trim.system_stripped);
}

TEST(MinimumContextTest, AToolResultKeepsTheCallThatAskedForIt) {
  auto body = Conversation();
  config::MinimumContext limits;
  limits.last_turns = 2;  // would start at the tool result
  ApplyMinimumContext(body, limits);
  EXPECT_EQ(Roles(body), "system,assistant,tool,user,");
}

TEST(MinimumContextTest, StripsSystemPrompt) {
  auto body = Conversation();
  config::MinimumContext limits;
  limits.strip_system = true;
  auto trim = ApplyMinimumContext(body, limits);
  EXPECT_EQ(Roles(body), "user,assistant,user,assistant,tool,user,");
  EXPECT_TRUE(trim.system_stripped);
  EXPECT_EQ(trim.messages_dropped, 1);
}

TEST(MinimumContextTest, InactiveLimitsChangeNothing) {
  auto body = Conversation();
  const std::string before = boost::json::serialize(body);
  ApplyMinimumContext(body, {});
  EXPECT_EQ(boost::json::serialize(body), before);
}

}  // namespace
}  // namespace lanewise::redact
