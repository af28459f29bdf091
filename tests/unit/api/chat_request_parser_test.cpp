#include "api/chat_request_parser.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace lanewise::api {
namespace {

const RequestHints kNoHints{};

TEST(ChatRequestParserTest, ParsesFactsAndKeepsUnknownFields) {
  auto parsed = ParseChatRequest(
      R"({"model":"local-chat","messages":[{"role":"user","content":"hi"}],"stream":true,
          "stream_options":{"include_usage":true},"foo_unknown":{"x":1},"logprobs":true})",
      kNoHints);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->model_alias, "local-chat");
  EXPECT_TRUE(parsed->stream);
  EXPECT_TRUE(parsed->include_usage);
  ASSERT_TRUE(parsed->body.contains("foo_unknown"));
  EXPECT_EQ(boost::json::serialize(parsed->body.at("foo_unknown")), R"({"x":1})");
  EXPECT_TRUE(parsed->body.at("logprobs").as_bool());
}

TEST(ChatRequestParserTest, MalformedJsonSaysWhere) {
  auto parsed = ParseChatRequest("{\"model\":\"m\",\n \"messages\": [}", kNoHints);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().reason(), "invalid_json");
  EXPECT_NE(parsed.status().message().find("line 2, column 15"), std::string::npos)
      << parsed.status().message();
}

TEST(ChatRequestParserTest, TruncatedAndTrailingAndEmptyBodies) {
  auto truncated = ParseChatRequest(R"({"model":"m","messages":[)", kNoHints);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("incomplete"), std::string::npos);
  auto trailing = ParseChatRequest(R"({"model":"m","messages":[]} x)", kNoHints);
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.status().reason(), "invalid_json");
  auto empty = ParseChatRequest("", kNoHints);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);
}

TEST(ChatRequestParserTest, RejectsWrongShapes) {
  struct Case {
    const char* body;
    const char* expected;
  };
  const Case cases[] = {
      {R"([1,2])", "must be a JSON object"},
      {R"({"messages":[{"role":"user","content":"x"}]})", "'model' is required"},
      {R"({"model":"","messages":[{"role":"user"}]})", "'model' must be a non-empty string"},
      {R"({"model":"m"})", "'messages' is required"},
      {R"({"model":"m","messages":"hello"})", "'messages' must be an array"},
      {R"({"model":"m","messages":[]})", "'messages' must not be empty"},
      {R"({"model":"m","messages":[42]})", "'messages[0]' must be an object"},
      {R"({"model":"m","messages":[{"content":"x"}]})", "'messages[0].role' is required"},
      {R"({"model":"m","messages":[{"role":"user"}],"stream":"yes"})",
       "'stream' must be a boolean"},
      {R"({"model":"m","messages":[{"role":"user"}],"stream_options":{"include_usage":1}})",
       "include_usage' must be a boolean"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseChatRequest(c.body, kNoHints);
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_NE(parsed.status().message().find(c.expected), std::string::npos)
        << c.body << " -> " << parsed.status().message();
  }
}

TEST(ChatRequestParserTest, HintsFromHeadersWinOverMetadata) {
  const char* body =
      R"({"model":"m","messages":[{"role":"user"}],
          "metadata":{"lanewise_data_class":"internal","lanewise_session":"s-meta"}})";
  auto from_metadata = ParseChatRequest(body, kNoHints);
  ASSERT_TRUE(from_metadata.ok());
  EXPECT_EQ(from_metadata->declared_data_class, "internal");
  EXPECT_EQ(from_metadata->session_id, "s-meta");

  RequestHints hints{"restricted", "batch", "", "acme"};
  auto from_headers = ParseChatRequest(body, hints);
  ASSERT_TRUE(from_headers.ok());
  EXPECT_EQ(from_headers->declared_data_class, "restricted");
  EXPECT_EQ(from_headers->latency_tier, core::LatencyTier::kBatch);
  EXPECT_EQ(from_headers->tenant, "acme");
}

TEST(ChatRequestParserTest, RejectsUnknownLatencyTier) {
  RequestHints hints{"", "urgent", "", ""};
  auto parsed = ParseChatRequest(R"({"model":"m","messages":[{"role":"user"}]})", hints);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().reason(), "invalid_latency_tier");
}

TEST(DescribePositionTest, CountsLinesAndColumns) {
  EXPECT_EQ(DescribePosition("ab\ncd", 0), "line 1, column 1");
  EXPECT_EQ(DescribePosition("ab\ncd", 4), "line 2, column 2");
}

}  // namespace
}  // namespace lanewise::api
