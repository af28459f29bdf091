// The simulator's llama flavour against real llama-server captures: same keys in the same
// order with the same value kinds, same chunk sequence, same headers and error bodies.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "tests/unit/sim/capture.h"
#include "tools/sim/chat_params.h"
#include "tools/sim/completion.h"
#include "tools/sim/response_script.h"
#include "tools/sim/wire.h"

namespace lanewise::sim {
namespace {

using testing::LoadCapture;
using testing::ReadFile;
using testing::Shape;
using testing::SseData;
using testing::StreamShape;

struct Rendered {
  ResponseScript script;
  int status = 0;
  std::string body;  // the whole body, or the concatenated chunks of a stream
  bool stream = false;
};

Rendered Render(const std::string& request_body, Settings settings = {},
                Flavor flavor = Flavor::kLlama) {
  auto wire = MakeWire(flavor, "tiny-random-llama");
  Rendered out;
  auto params = ParseChatRequest(request_body);
  if (!params.ok()) {
    ErrorReply reply = wire->RequestError(params.status());
    out.status = reply.status;
    out.body = reply.body;
    return out;
  }
  const Completion completion = PlanCompletion(*params, settings, flavor);
  out.script = BuildChatScript(*wire, *params, settings, completion);
  for (const auto& step : out.script.steps) {
    if (step.kind == Step::Kind::kRespond) {
      out.status = step.status;
      out.body = step.data;
    } else if (step.kind == Step::Kind::kStartStream) {
      out.status = step.status;
      out.stream = true;
    } else if (step.kind == Step::Kind::kChunk) {
      out.body += step.data;
    }
  }
  return out;
}

Rendered RenderCaptureRequest(const std::string& name, Settings settings = {}) {
  return Render(ReadFile(testing::CapturePath(name + ".request.json")), settings);
}

boost::json::value Parse(const std::string& json) {
  return boost::json::parse(json);
}

void ExpectSameNonStream(const std::string& name) {
  SCOPED_TRACE(name);
  const auto capture = LoadCapture(name + ".http");
  const Rendered ours = RenderCaptureRequest(name);
  EXPECT_EQ(ours.status, capture.status);
  EXPECT_FALSE(ours.stream);
  EXPECT_EQ(Shape(ours.body), Shape(capture.body));
}

void ExpectSameStream(const std::string& name, Settings settings = {}) {
  SCOPED_TRACE(name);
  const auto capture = LoadCapture(name + ".http");
  const Rendered ours = RenderCaptureRequest(name, settings);
  EXPECT_EQ(ours.status, capture.status);
  EXPECT_TRUE(ours.stream);
  EXPECT_EQ(StreamShape(SseData(ours.body)), StreamShape(SseData(capture.body)));
}

TEST(SimWireLlama, NonStreamChatHasTheCapturedShape) {
  ExpectSameNonStream("10_chat_nonstream");
  const Rendered ours = RenderCaptureRequest("10_chat_nonstream");
  const auto body = Parse(ours.body);
  EXPECT_EQ(body.at("model"), "tiny-random-llama");  // the alias, not the requested "tiny"
  EXPECT_EQ(body.at("object"), "chat.completion");
  EXPECT_EQ(body.at("system_fingerprint"), "b1-de3ff81");
  const std::string id(body.at("id").as_string());
  EXPECT_EQ(id.rfind("chatcmpl-", 0), 0u);
  EXPECT_EQ(id.size(), 9u + 32u);
  EXPECT_EQ(body.at("choices").at(0).at("finish_reason"), "length");  // max_tokens 16
  EXPECT_EQ(body.at("usage").at("completion_tokens"), 16);
}

TEST(SimWireLlama, LogprobsStopToolCallsAndNHaveTheCapturedShape) {
  ExpectSameNonStream("13_chat_logprobs_nonstream");
  ExpectSameNonStream("17_chat_stop_string");
  ExpectSameNonStream("21b_chat_tools_required_prefill");
  ExpectSameNonStream("25_chat_n_2");

  const auto stop = Parse(RenderCaptureRequest("17_chat_stop_string").body);
  EXPECT_EQ(stop.at("choices").at(0).at("finish_reason"), "stop");
  const std::string content(stop.at("choices").at(0).at("message").at("content").as_string());
  EXPECT_EQ(content.find_first_of("ae"), std::string::npos) << content;

  const auto tool = Parse(RenderCaptureRequest("21b_chat_tools_required_prefill").body);
  const auto& message = tool.at("choices").at(0).at("message");
  EXPECT_EQ(message.at("content"), "");
  EXPECT_EQ(tool.at("choices").at(0).at("finish_reason"), "tool_calls");
  const auto& call = message.at("tool_calls").at(0);
  EXPECT_EQ(call.at("id").as_string().size(), 32u);
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  const auto arguments = Parse(std::string(call.at("function").at("arguments").as_string()));
  EXPECT_EQ(arguments.at("unit"), "celsius");  // the first enum value
  EXPECT_TRUE(arguments.at("city").is_string());
}

TEST(SimWireLlama, StreamsHaveTheCapturedChunkSequence) {
  ExpectSameStream("11_chat_stream");
  ExpectSameStream("12_chat_stream_include_usage");
  ExpectSameStream("14_chat_logprobs_stream");
  ExpectSameStream("22_chat_tools_required_prefill_stream");

  const Rendered ours = RenderCaptureRequest("11_chat_stream");
  const auto frames = SseData(ours.body);
  ASSERT_GE(frames.size(), 3u);
  EXPECT_EQ(frames.back(), "[DONE]");
  const auto role = Parse(frames.front());
  EXPECT_EQ(Shape(role.at("choices").at(0).at("delta")), "{role:string,content:null}");
  const auto finish = Parse(frames[frames.size() - 2]);
  EXPECT_EQ(finish.at("choices").at(0).at("delta").as_object().size(), 0u);
  EXPECT_TRUE(finish.as_object().contains("timings"));
  // Every frame is framed exactly as llama-server frames it.
  EXPECT_EQ(ours.body.rfind("data: [DONE]\n\n"), ours.body.size() - 14);
}

TEST(SimWireLlama, ErrorEventMidStreamMatchesTheCapture) {
  Settings settings;
  settings.fault = Fault::kErrorEvent;
  settings.after_chunks = 1;
  ExpectSameStream("22c_chat_tools_auto_prefill_parse_error_stream", settings);
  const Rendered ours =
      RenderCaptureRequest("22c_chat_tools_auto_prefill_parse_error_stream", settings);
  EXPECT_EQ(ours.body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(ours.script.steps.back().kind, Step::Kind::kFinish);
}

TEST(SimWireLlama, RequestErrorsMatchTheCaptures) {
  for (const std::string name :
       {"30_err_invalid_json", "31_err_missing_messages", "32_err_messages_not_array",
        "39f_err_bad_tool_choice", "39g_err_bad_response_format",
        "39h_err_max_tokens_negative_string"}) {
    SCOPED_TRACE(name);
    const auto capture = LoadCapture(name + ".http");
    const Rendered ours = RenderCaptureRequest(name);
    EXPECT_EQ(ours.status, capture.status);
    if (name == "30_err_invalid_json") {
      EXPECT_EQ(Shape(ours.body), Shape(capture.body));  // the parser's wording differs
    } else {
      EXPECT_EQ(ours.body, capture.body);
    }
  }
  const Rendered empty = Render("");
  EXPECT_EQ(empty.status, 500);
  EXPECT_NE(empty.body.find("attempting to parse an empty input"), std::string::npos);
}

TEST(SimWireLlama, PlainEndpointsMatchTheCaptures) {
  auto wire = MakeWire(Flavor::kLlama, "tiny-random-llama");
  const auto models = LoadCapture("04_v1_models.http");
  EXPECT_EQ(Shape(wire->ModelsBody()), Shape(models.body));
  const auto ours = Parse(wire->ModelsBody());
  EXPECT_EQ(ours.at("data").at(0).at("id"), "tiny-random-llama");
  EXPECT_EQ(ours.at("models").at(0).at("name"), "tiny-random-llama");

  EXPECT_EQ(wire->NotFound("GET", "/v1/does-not-exist").body,
            LoadCapture("39_err_404_unknown_path.http").body);
  EXPECT_EQ(LoadCapture("01_health.http").body, R"({"status":"ok"})");
}

std::vector<std::string> Names(const Headers& headers) {
  std::vector<std::string> names;
  for (const auto& [name, value] : headers) names.push_back(testing::Lower(name));
  return names;
}

// The server adds Content-Length / Transfer-Encoding itself.
std::vector<std::string> WithoutFraming(std::vector<std::string> names) {
  std::erase(names, "content-length");
  std::erase(names, "transfer-encoding");
  return names;
}

TEST(SimWireLlama, HeadersMatchTheCaptures) {
  auto wire = MakeWire(Flavor::kLlama, "tiny-random-llama");
  EXPECT_EQ(Names(wire->JsonHeaders(false)),
            WithoutFraming(LoadCapture("10_chat_nonstream.http").header_names));
  EXPECT_EQ(Names(wire->JsonHeaders(true)),
            WithoutFraming(LoadCapture("31_err_missing_messages.http").header_names));
  EXPECT_EQ(Names(wire->StreamHeaders()),
            WithoutFraming(LoadCapture("11_chat_stream.http").header_names));
}

TEST(SimWireOpenAi, NonStreamHasOpenAisShapeAndEchoesTheModel) {
  const Rendered ours = Render(
      R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":4})", {},
      Flavor::kOpenAi);
  const auto body = Parse(ours.body);
  std::vector<std::string> keys;
  for (const auto& item : body.as_object()) keys.emplace_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "object", "created", "model", "choices", "usage",
                                            "service_tier", "system_fingerprint"}));
  EXPECT_EQ(body.at("model"), "gpt-4o-mini");
  EXPECT_EQ(std::string(body.at("system_fingerprint").as_string()).rfind("fp_", 0), 0u);
  EXPECT_FALSE(body.as_object().contains("timings"));
  EXPECT_EQ(Shape(body.at("choices").at(0)),
            "{index:int,message:{role:string,content:string,refusal:null,annotations:[]},"
            "logprobs:null,finish_reason:string}");
}

TEST(SimWireOpenAi, StreamWithUsageEndsWithAUsageChunkThenDone) {
  const Rendered ours = Render(
      R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":3,
          "stream":true,"stream_options":{"include_usage":true}})",
      {}, Flavor::kOpenAi);
  const auto frames = SseData(ours.body);
  ASSERT_EQ(frames.size(), 1u + 3u + 1u + 1u + 1u);  // role, 3 tokens, finish, usage, [DONE]
  EXPECT_EQ(frames.back(), "[DONE]");
  for (std::size_t i = 0; i + 2 < frames.size(); ++i) {
    EXPECT_TRUE(Parse(frames[i]).at("usage").is_null()) << frames[i];
  }
  const auto usage = Parse(frames[frames.size() - 2]);
  EXPECT_TRUE(usage.at("choices").as_array().empty());
  EXPECT_EQ(usage.at("usage").at("completion_tokens"), 3);
  EXPECT_EQ(Parse(frames[4]).at("choices").at(0).at("finish_reason"), "length");
}

TEST(SimWireOpenAi, ErrorsUseOpenAisEnvelope) {
  auto wire = MakeWire(Flavor::kOpenAi, "gpt-4o-mini");
  EXPECT_EQ(Shape(wire->Error(429, "").body),
            "{error:{message:string,type:string,param:null,code:string}}");
  const auto missing = wire->RequestError(core::InvalidArgument("'messages' is required"));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Parse(missing.body).at("error").at("param"), "messages");
  const Rendered bad_json = Render("{", {}, Flavor::kOpenAi);
  EXPECT_EQ(bad_json.status, 400);  // OpenAI says 400 where llama-server says 500
}

}  // namespace
}  // namespace lanewise::sim

namespace lanewise::sim {
namespace {

// sim.token_logprobs: the sampled tokens carry the chosen values, cycled, in the captured
// shape, whole and streamed, in both flavours; alternatives stay sorted, highest first.
TEST(SimWireLogprobs, ChosenLogprobsKeepTheCapturedShape) {
  Settings settings;
  settings.token_logprobs = {-0.25, -2.5};
  const auto capture = LoadCapture("13_chat_logprobs_nonstream.http");
  const Rendered whole = RenderCaptureRequest("13_chat_logprobs_nonstream", settings);
  EXPECT_EQ(Shape(whole.body), Shape(capture.body));
  const auto whole_json = Parse(whole.body);
  const auto& content = whole_json.at("choices").at(0).at("logprobs").at("content");
  ASSERT_GE(content.as_array().size(), 2u);
  for (std::size_t i = 0; i < content.as_array().size(); ++i) {
    const auto& entry = content.at(i);
    EXPECT_DOUBLE_EQ(entry.at("logprob").to_number<double>(), i % 2 == 0 ? -0.25 : -2.5);
    const auto& top = entry.at("top_logprobs").as_array();
    for (std::size_t k = 1; k < top.size(); ++k) {
      EXPECT_GE(top[k - 1].at("logprob").to_number<double>(),
                top[k].at("logprob").to_number<double>());
    }
  }
  ExpectSameStream("14_chat_logprobs_stream", settings);
  const Rendered streamed = RenderCaptureRequest("14_chat_logprobs_stream", settings);
  std::vector<double> seen;
  for (const std::string& frame : SseData(streamed.body)) {
    if (frame == "[DONE]") continue;
    const auto chunk = Parse(frame);
    if (!chunk.as_object().contains("choices") || chunk.at("choices").as_array().empty()) continue;
    const auto& choice = chunk.at("choices").at(0).as_object();
    if (!choice.contains("logprobs")) continue;
    for (const auto& entry : choice.at("logprobs").at("content").as_array()) {
      seen.push_back(entry.at("logprob").to_number<double>());
    }
  }
  ASSERT_GE(seen.size(), 2u);
  EXPECT_DOUBLE_EQ(seen[0], -0.25);
  EXPECT_DOUBLE_EQ(seen[1], -2.5);

  const Rendered openai =
      Render(R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"logprobs":true})",
             settings, Flavor::kOpenAi);
  const auto openai_json = Parse(openai.body);
  const auto& openai_content = openai_json.at("choices").at(0).at("logprobs").at("content");
  EXPECT_DOUBLE_EQ(openai_content.at(0).at("logprob").to_number<double>(), -0.25);
  // Not asked for: none, whatever the settings.
  const Rendered plain =
      Render(R"({"messages":[{"role":"user","content":"hi"}]})", settings, Flavor::kLlama);
  EXPECT_FALSE(Parse(plain.body).at("choices").at(0).as_object().contains("logprobs"));

  Settings parsed;
  ASSERT_TRUE(
      ApplySettings(boost::json::parse(R"({"token_logprobs":[-0.1,-1]})").as_object(), parsed)
          .ok());
  EXPECT_EQ(parsed.token_logprobs, (std::vector<double>{-0.1, -1.0}));
  ASSERT_TRUE(
      ApplySettings(boost::json::parse(R"({"token_logprobs":-0.3})").as_object(), parsed).ok());
  EXPECT_EQ(parsed.token_logprobs, (std::vector<double>{-0.3}));
  EXPECT_FALSE(
      ApplySettings(boost::json::parse(R"({"token_logprobs":[0.5]})").as_object(), parsed).ok());
}

}  // namespace
}  // namespace lanewise::sim
