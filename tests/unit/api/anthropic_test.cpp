#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <vector>

#include "api/anthropic_errors.h"
#include "api/anthropic_request.h"
#include "api/anthropic_response.h"
#include "api/stop_sequences.h"

namespace lanewise::api {
namespace {

namespace json = boost::json;

json::object Translate(std::string_view body) {
  auto parsed = ParseAnthropicRequest(body, {});
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? parsed->body : json::object();
}

TEST(AnthropicRequestTest, SystemBlocksToolsAndToolResultsBecomeOpenAiShape) {
  auto body = Translate(R"({"model":"m","max_tokens":10,"stream":true,
    "system":[{"type":"text","text":"A"},{"type":"text","text":"B"}],
    "tools":[{"name":"f","description":"d","input_schema":{"type":"object"}}],
    "tool_choice":{"type":"tool","name":"f"},"stop_sequences":["END"],"thinking":{"type":"enabled"},
    "messages":[
      {"role":"user","content":[{"type":"text","text":"hi"},
        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
      {"role":"assistant","content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"calling"},
        {"type":"tool_use","id":"t1","name":"f","input":{"x":1}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,
        "content":[{"type":"text","text":"boom"}]},{"type":"text","text":"now?"}]}]})");
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 5u);
  EXPECT_EQ(json::serialize(messages[0]), R"({"role":"system","content":"A\nB"})");
  EXPECT_EQ(messages[1].at("content").as_array()[1].at("image_url").at("url").as_string(),
            "data:image/png;base64,AAAA");
  EXPECT_EQ(messages[2].at("content").as_string(), "calling");
  EXPECT_EQ(messages[2].at("tool_calls").as_array()[0].at("function").at("arguments").as_string(),
            R"({"x":1})");
  EXPECT_EQ(json::serialize(messages[3]),
            R"({"role":"tool","tool_call_id":"t1","content":"Error: boom"})");
  EXPECT_EQ(messages[4].at("content").as_array()[0].at("text").as_string(), "now?");
  EXPECT_EQ(body.at("tools").as_array()[0].at("function").at("parameters").at("type").as_string(),
            "object");
  // llama.cpp's server reads tool_choice as a string only: a named tool is "required"
  // with only that tool. Stop sequences are applied by the front, never sent.
  EXPECT_EQ(body.at("tool_choice").as_string(), "required");
  EXPECT_FALSE(body.contains("stop"));
  EXPECT_TRUE(body.at("stream_options").at("include_usage").as_bool());
  EXPECT_FALSE(body.contains("thinking"));  // Anthropic-only: not sent to lanes
}

TEST(AnthropicRequestTest, BadRequestsSayWhatAndWhere) {
  struct Case {
    const char* body;
    const char* expect;
  };
  const std::vector<Case> cases = {
      {R"({"model":"m","messages":[{"role":"user","content":"x"}]})", "max_tokens"},
      {R"({"max_tokens":1,"messages":[{"role":"user","content":"x"}]})", "model"},
      {R"({"model":"m","max_tokens":1,"messages":[]})", "messages"},
      {R"({"model":"m","max_tokens":1,"messages":[{"role":"system","content":"x"}]})",
       "messages[0].role"},
      {R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"video"}]}]})",
       "messages[0].content[0].type"},
      {R"({"model":"m","max_tokens":1,)", "line 1, column"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseAnthropicRequest(c.body, {});
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_EQ(parsed.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.expect), std::string::npos)
        << parsed.status().message();
  }
}

TEST(AnthropicResponseTest, CompletionBecomesMessageWithToolUse) {
  auto message = AnthropicMessageFromCompletion(
      R"({"id":"chatcmpl-abc","model":"gpt","choices":[{"index":0,"message":{"role":"assistant",
      "content":"ok","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":2}"}}]},
      "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":7,"completion_tokens":3}})");
  ASSERT_TRUE(message.ok());
  auto doc = json::parse(*message);
  EXPECT_EQ(doc.at("id").as_string(), "msg_abc");
  EXPECT_EQ(doc.at("stop_reason").as_string(), "tool_use");
  EXPECT_EQ(doc.at("content").as_array()[0].at("text").as_string(), "ok");
  EXPECT_EQ(doc.at("content").as_array()[1].at("input").at("a").as_int64(), 2);
  EXPECT_EQ(doc.at("usage").at("input_tokens").as_int64(), 7);
  EXPECT_EQ(doc.at("usage").at("output_tokens").as_int64(), 3);
  EXPECT_EQ(AnthropicMessageFromCompletion("nope").status().reason(), "upstream_protocol");
}

// The event types of an SSE text, in order.
std::vector<std::string> EventTypes(const std::string& sse) {
  std::vector<std::string> types;
  std::size_t at = 0;
  while ((at = sse.find("event: ", at)) != std::string::npos) {
    at += 7;
    types.push_back(sse.substr(at, sse.find('\n', at) - at));
  }
  return types;
}

TEST(AnthropicStreamTranslatorTest, TextThenToolCallThenDone) {
  AnthropicStreamTranslator t;
  std::string sse;
  sse += t.OnChunk(
      R"({"id":"chatcmpl-1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})");
  sse += t.OnChunk(R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"Hi"}}]})");
  sse += t.OnChunk(
      R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{\"a\""}}]}}]})");
  sse += t.OnChunk(
      R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}}]})");
  sse += t.OnChunk(
      R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})");
  sse += t.OnChunk(
      R"({"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":9}})");
  sse += t.OnDone();
  EXPECT_EQ(EventTypes(sse),
            (std::vector<std::string>{"message_start", "content_block_start", "content_block_delta",
                                      "content_block_stop", "content_block_start",
                                      "content_block_delta", "content_block_delta",
                                      "content_block_stop", "message_delta", "message_stop"}));
  EXPECT_NE(sse.find(R"("delta":{"stop_reason":"tool_use")"), std::string::npos) << sse;
  EXPECT_NE(sse.find(R"("output_tokens":9)"), std::string::npos) << sse;
  EXPECT_NE(sse.find(R"("partial_json":":1}")"), std::string::npos) << sse;
}

TEST(AnthropicStreamTranslatorTest, ABrokenStreamEndsWithAnErrorEventNotMessageStop) {
  AnthropicStreamTranslator t;
  std::string sse = t.OnChunk(R"({"id":"x","choices":[{"index":0,"delta":{"content":"par"}}]})");
  sse += t.OnError(core::Status(core::StatusCode::kUnavailable, "lane reset", "upstream_reset"));
  EXPECT_EQ(EventTypes(sse).back(), "error");
  EXPECT_EQ(sse.find("message_stop"), std::string::npos);
  EXPECT_NE(sse.find(R"({"type":"error","error":{"type":"api_error")"), std::string::npos) << sse;
}

TEST(AnthropicRequestTest, NamedToolChoiceKeepsOnlyThatToolAndMapsParallelUse) {
  auto parsed = ParseAnthropicRequest(R"({"model":"m","max_tokens":10,
    "messages":[{"role":"user","content":"x"}],"stop_sequences":["END","\n\nHuman:"],
    "tools":[{"name":"a","input_schema":{}},{"name":"b","input_schema":{}}],
    "tool_choice":{"type":"tool","name":"b","disable_parallel_tool_use":true}})",
                                      {});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& body = parsed->body;
  EXPECT_EQ(body.at("tool_choice").as_string(), "required");
  ASSERT_EQ(body.at("tools").as_array().size(), 1u);
  EXPECT_EQ(body.at("tools").as_array()[0].at("function").at("name").as_string(), "b");
  EXPECT_FALSE(body.at("parallel_tool_calls").as_bool());
  EXPECT_EQ(parsed->stop_sequences, (std::vector<std::string>{"END", "\n\nHuman:"}));

  auto unknown = ParseAnthropicRequest(R"({"model":"m","max_tokens":10,
    "messages":[{"role":"user","content":"x"}],"tools":[{"name":"a"}],
    "tool_choice":{"type":"tool","name":"zzz"}})",
                                       {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().param(), "tool_choice.name");
}

TEST(StopSequenceMatcherTest, FindsASequenceSplitAcrossPiecesAndHoldsBackOnlyWhatCouldStartOne) {
  StopSequenceMatcher matcher({"STOP", "END"});
  EXPECT_EQ(matcher.Feed("abc S"), "abc ");  // "S" may start "STOP"
  EXPECT_EQ(matcher.Feed("T"), "");
  EXPECT_EQ(matcher.Feed("x E"), "STx ");  // "STx" is no sequence after all
  EXPECT_FALSE(matcher.hit().has_value());
  EXPECT_EQ(matcher.Feed("ND and more"), "");
  ASSERT_TRUE(matcher.hit().has_value());
  EXPECT_EQ(*matcher.hit(), "END");
  EXPECT_EQ(matcher.Feed("later"), "");
  std::optional<std::string> hit;
  EXPECT_EQ(ApplyStopSequences("one END two STOP", {"STOP", "END"}, hit), "one ");
  EXPECT_EQ(hit, "END");  // the earliest in the text, not the first listed
  EXPECT_EQ(ApplyStopSequences("no hit", {"STOP"}, hit), "no hit");
  EXPECT_FALSE(hit.has_value());
}

TEST(AnthropicStreamTranslatorTest, StopSequenceEndsTheMessageAndStartCarriesInputTokens) {
  AnthropicStreamTranslator translator({"END"}, 42);
  std::string sse = translator.OnChunk(
      R"({"id":"chatcmpl-1","model":"m","choices":[{"index":0,"delta":{"content":"hello E"}}]})");
  EXPECT_NE(sse.find(R"("input_tokens":42)"), std::string::npos) << sse;
  EXPECT_FALSE(translator.Finished());
  sse += translator.OnChunk(R"({"choices":[{"index":0,"delta":{"content":"ND tail"}}]})");
  ASSERT_TRUE(translator.Finished());
  sse += translator.OnDone();
  EXPECT_NE(sse.find(R"("text":"hello ")"), std::string::npos) << sse;
  EXPECT_EQ(sse.find("tail"), std::string::npos) << sse;
  EXPECT_NE(sse.find(R"("stop_reason":"stop_sequence","stop_sequence":"END")"), std::string::npos)
      << sse;
  // The lane's own count wins over the estimate when its first chunk has one.
  AnthropicStreamTranslator timed({}, 42);
  EXPECT_NE(timed.OnChunk(R"({"choices":[],"timings":{"prompt_n":3,"cache_n":24}})")
                .find(R"("input_tokens":27)"),
            std::string::npos);
}

TEST(AnthropicErrorsTest, UpstreamDetailsRideAlong) {
  core::Status status(core::StatusCode::kUpstreamError, "too long", "lane_error_400");
  status.WithUpstream(400, "exceed_context_size_error");
  status.WithUpstreamError(
      R"({"code":400,"message":"too long","type":"exceed_context_size_error","n_prompt_tokens":3029,"n_ctx":2048})");
  auto envelope = ToAnthropicError(status);
  EXPECT_EQ(envelope.http_status, 400);
  auto error = json::parse(envelope.body).at("error");
  EXPECT_EQ(error.at("n_prompt_tokens").as_int64(), 3029);
  EXPECT_EQ(error.at("n_ctx").as_int64(), 2048);
  EXPECT_EQ(error.at("upstream_code").as_int64(), 400);
}

TEST(AnthropicErrorsTest, StatusAndTypeFollowTheFailure) {
  auto not_found = ToAnthropicError(core::NotFound("no model", "model_not_found"));
  EXPECT_EQ(not_found.http_status, 404);
  EXPECT_EQ(json::parse(not_found.body).at("error").at("type").as_string(), "not_found_error");
  auto denied =
      ToAnthropicError(core::Status(core::StatusCode::kPermissionDenied, "no", "no_route"));
  EXPECT_EQ(denied.http_status, 403);
  EXPECT_NE(denied.body.find("[no_route]"), std::string::npos);
  auto timeout = ToAnthropicError(core::DeadlineExceeded("slow"));
  EXPECT_EQ(timeout.http_status, 504);
  EXPECT_EQ(json::parse(timeout.body).at("error").at("type").as_string(), "timeout_error");
}

}  // namespace
}  // namespace lanewise::api
