#include "api/chat_request_parser.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace lanewise::api {
namespace {

const RequestHints kNoHints{};

TEST(ChatRequestParserTest, ParsesFactsAndDropsUnlistedFields) {
  auto parsed = ParseChatRequest(
      R"({"model":"local-chat","messages":[{"role":"user","content":"hi","cache":{"a":1}}],
          "stream":true,"stream_options":{"include_usage":true,"extra":1},
          "foo_unknown":{"x":"4111 1111 1111 1111"},"logprobs":true,"top_k":40,
          "metadata":{"anything":"kept"}})",
      kNoHints);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->model_alias, "local-chat");
  EXPECT_TRUE(parsed->stream);
  EXPECT_TRUE(parsed->include_usage);
  // An unknown top-level field is a provider extension: kept (and inspected whole).
  EXPECT_TRUE(parsed->body.contains("foo_unknown"));
  EXPECT_FALSE(parsed->body.at("messages").at(0).as_object().contains("cache"));
  EXPECT_FALSE(parsed->body.at("stream_options").as_object().contains("extra"));
  EXPECT_EQ(parsed->dropped_fields,
            (std::vector<std::string>{"messages[0].cache", "stream_options.extra"}));
  EXPECT_TRUE(parsed->body.at("logprobs").as_bool());
  EXPECT_EQ(parsed->body.at("top_k").as_int64(), 40);
  EXPECT_EQ(boost::json::serialize(parsed->body.at("metadata")), R"({"anything":"kept"})");
}

// A fixed vocabulary is validated: the error names the field and never echoes the value.
TEST(ChatRequestParserTest, RefusedFieldsSayWhichAndWhy) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"model":"m","messages":[{"role":"4111 1111 1111 1111","content":"x"}]})",
       "'messages[0].role' must be one of: system, developer, user, assistant, tool, function"},
      {R"({"model":"m","messages":[{"role":"user","content":[{"type":"4111","text":"x"}]}]})",
       "'messages[0].content[0].type' must be one of: text, image_url, input_audio, file, "
       "refusal"},
      {R"({"model":"m","messages":[{"role":"user","content":[{"text":"x"}]}]})",
       "'messages[0].content[0].type' is required"},
      {R"({"model":"m","messages":[{"role":"user","content":4111111111111111}]})",
       "'messages[0].content' must be a string or an array of content parts"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"temperature":1e999})",
       "'temperature' is a number too large for a double; send a finite number"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"seed":123456789012345678901})",
       "'seed' is an integer beyond 64 bits, which would reach the model rounded; send it as a "
       "string"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"metadata":{"a":[1e999]}})",
       "'metadata.a[0]' is a number too large for a double; send a finite number"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"4111"})",
       "'tool_choice' must be one of: none, auto, required"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"x"}]}]})",
       "'messages[0].tool_calls[0].type' must be one of: function"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"user":5})",
       "'user' must be a string"},
      {R"({"model":"m","messages":[{"role":"user","content":"x"}],"stop":[1]})",
       "'stop[0]' must be a string"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseChatRequest(c.body, kNoHints);
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_EQ(parsed.status().code(), core::StatusCode::kInvalidArgument) << c.body;
    EXPECT_EQ(parsed.status().reason(), "invalid_request") << c.body;
    EXPECT_EQ(parsed.status().message(), c.message) << c.body;
    EXPECT_EQ(parsed.status().message().find("4111"), std::string::npos);
  }
}

TEST(ChatRequestParserTest, NumbersThatSurviveTheRoundTripPass) {
  auto parsed = ParseChatRequest(
      R"({"model":"m","messages":[{"role":"user","content":"x"}],"seed":18446744073709551615,
          "temperature":0.1,"top_p":1e-300,"logit_bias":{"50256":-100}})",
      kNoHints);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(boost::json::serialize(parsed->body.at("seed")), "18446744073709551615");
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
