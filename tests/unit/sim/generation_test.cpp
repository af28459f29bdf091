// Content generation and the control object: deterministic, steerable, honest about limits.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tools/sim/chat_params.h"
#include "tools/sim/completion.h"
#include "tools/sim/json_builder.h"
#include "tools/sim/sim_settings.h"
#include "tools/sim/text_gen.h"

namespace lanewise::sim {
namespace {

ChatParams Params(const std::string& body) {
  auto params = ParseChatRequest(body);
  EXPECT_TRUE(params.ok()) << params.status().ToString();
  return params.ok() ? *params : ChatParams{};
}

Completion Plan(const std::string& body, Settings settings = {}) {
  return PlanCompletion(Params(body), settings, Flavor::kLlama);
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80    ? 1
                         : lead >= 0xF0 ? 4
                         : lead >= 0xE0 ? 3
                         : lead >= 0xC0 ? 2
                                        : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

constexpr const char* kHello = R"({"messages":[{"role":"user","content":"hello"}]})";

TEST(SimGeneration, WordsAreDeterministicPerConversation) {
  Settings settings;
  settings.tokens = 12;
  const auto a = Plan(kHello, settings);
  const auto b = Plan(kHello, settings);
  const auto other = Plan(R"({"messages":[{"role":"user","content":"goodbye"}]})", settings);
  EXPECT_EQ(a.choices[0].Content(), b.choices[0].Content());
  EXPECT_NE(a.choices[0].Content(), other.choices[0].Content());
  EXPECT_EQ(a.choices[0].tokens.size(), 12u);
  EXPECT_EQ(a.choices[0].finish_reason, "stop");
}

TEST(SimGeneration, EchoRepeatsTheLastUserMessageInUtf8SafePieces) {
  Settings settings;
  settings.mode = Mode::kEcho;
  const std::string text = "Grüße aus Köln 🚀 — naïve café, 東京タワー";
  boost::json::object body;
  body["messages"] =
      boost::json::array{boost::json::object{{"role", "user"}, {"content", "first"}},
                         boost::json::object{{"role", "assistant"}, {"content", "ignored"}},
                         boost::json::object{{"role", "user"}, {"content", text}}};
  const auto completion = Plan(boost::json::serialize(body), settings);
  EXPECT_EQ(completion.choices[0].Content(), text);
  ASSERT_GT(completion.choices[0].tokens.size(), 5u);
  for (const auto& token : completion.choices[0].tokens) {
    EXPECT_TRUE(IsValidUtf8(token)) << token;
    EXPECT_LE(token.size(), 7u);  // about 4 bytes, a whole code point more at most
  }
}

TEST(SimGeneration, EchoReadsTextPartsAndReplyIsLiteral) {
  Settings echo;
  echo.mode = Mode::kEcho;
  const auto parts = Plan(
      R"({"messages":[{"role":"user","content":[{"type":"text","text":"ab"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"cd"}]}]})",
      echo);
  EXPECT_EQ(parts.choices[0].Content(), "abcd");

  Settings reply;
  reply.mode = Mode::kReply;
  reply.reply = "The answer is 42.";
  EXPECT_EQ(Plan(kHello, reply).choices[0].Content(), "The answer is 42.");
}

TEST(SimGeneration, MaxTokensCapsWithFinishLength) {
  for (const char* field : {"max_tokens", "max_completion_tokens", "n_predict"}) {
    const auto completion = Plan(std::string(R"({"messages":[],")") + field + R"(":5})");
    EXPECT_EQ(completion.choices[0].tokens.size(), 5u) << field;
    EXPECT_EQ(completion.choices[0].finish_reason, "length") << field;
  }
  Settings reply;
  reply.mode = Mode::kReply;
  reply.reply = "short";
  const auto fits = Plan(R"({"messages":[],"max_tokens":10})", reply);
  EXPECT_EQ(fits.choices[0].finish_reason, "stop");
}

TEST(SimGeneration, StopStringsCutTheTextAndAreNotIncluded) {
  Settings reply;
  reply.mode = Mode::kReply;
  reply.reply = "one two three four";
  const auto completion = Plan(R"({"messages":[],"stop":["three","zzz"]})", reply);
  EXPECT_EQ(completion.choices[0].Content(), "one two ");
  EXPECT_EQ(completion.choices[0].finish_reason, "stop");
  const auto single = Plan(R"({"messages":[],"stop":"two"})", reply);
  EXPECT_EQ(single.choices[0].Content(), "one ");
}

TEST(SimGeneration, ResponseFormatYieldsAJsonObject) {
  const auto object = Plan(R"({"messages":[],"response_format":{"type":"json_object"}})");
  EXPECT_TRUE(boost::json::parse(object.choices[0].Content()).is_object());

  const auto schema = Plan(
      R"({"messages":[],"response_format":{"type":"json_schema","json_schema":{"name":"g","schema":
          {"type":"object","properties":{"greeting":{"type":"string"},"count":{"type":"integer"},
          "mood":{"type":"string","enum":["happy","sad"]}}}}}})");
  const auto value = boost::json::parse(schema.choices[0].Content());
  EXPECT_TRUE(value.at("greeting").is_string());
  EXPECT_TRUE(value.at("count").is_int64());
  EXPECT_EQ(value.at("mood"), "happy");
}

constexpr const char* kTools =
    R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
       "properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","f"]}}}}},
       {"type":"function","function":{"name":"get_time","parameters":{"type":"object",
       "properties":{"zone":{"type":"string"}}}}}])";

TEST(SimGeneration, ToolCallsFollowToolChoiceAndTheSimFlag) {
  const std::string base = std::string(R"({"messages":[{"role":"user","content":"x"}],)") + kTools;
  EXPECT_FALSE(Plan(base + "}").choices[0].tool_call);  // auto: the simulator answers in text

  const auto required = Plan(base + R"(,"tool_choice":"required"})");
  ASSERT_TRUE(required.choices[0].tool_call);
  EXPECT_EQ(required.choices[0].tool_call->name, "get_weather");
  EXPECT_EQ(required.choices[0].finish_reason, "tool_calls");
  const auto arguments = boost::json::parse(required.choices[0].tool_call->arguments);
  EXPECT_EQ(arguments.at("unit"), "celsius");
  std::string joined;
  for (const auto& fragment : required.choices[0].tool_call->fragments) joined += fragment;
  EXPECT_EQ(joined, required.choices[0].tool_call->arguments);

  const auto named =
      Plan(base + R"(,"tool_choice":{"type":"function","function":{"name":"get_time"}}})");
  ASSERT_TRUE(named.choices[0].tool_call);
  EXPECT_EQ(named.choices[0].tool_call->name, "get_time");

  Settings flag;
  flag.tool_call = true;
  EXPECT_TRUE(Plan(base + "}", flag).choices[0].tool_call);
  EXPECT_FALSE(Plan(base + R"(,"tool_choice":"none"})", flag).choices[0].tool_call);

  const auto bad = ParseChatRequest(base + R"(,"tool_choice":"sometimes"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "Invalid tool_choice: sometimes");
}

TEST(SimGeneration, NChoicesDifferAndLogprobsAreStable) {
  const auto two = Plan(R"({"messages":[{"role":"user","content":"x"}],"n":2})");
  ASSERT_EQ(two.choices.size(), 2u);
  EXPECT_NE(two.choices[0].Content(), two.choices[1].Content());

  const TokenLogprob a = MakeLogprob(" river", 3);
  const TokenLogprob b = MakeLogprob(" river", 3);
  EXPECT_EQ(a.sampled.id, b.sampled.id);
  EXPECT_EQ(a.sampled.logprob, b.sampled.logprob);
  ASSERT_EQ(a.top.size(), 3u);
  EXPECT_LT(a.sampled.logprob, 0.0);
  EXPECT_GE(a.top[0].logprob, a.top[1].logprob);
  EXPECT_GE(a.top[1].logprob, a.top[2].logprob);
}

TEST(SimGeneration, TheSimObjectIsParsedAndValidated) {
  const auto params = Params(R"({"messages":[],"sim":{"mode":"echo","ttft_ms":5}})");
  ASSERT_TRUE(params.sim);
  Settings settings;
  ASSERT_TRUE(ApplySettings(*params.sim, settings).ok());
  EXPECT_EQ(settings.mode, Mode::kEcho);
  EXPECT_EQ(settings.ttft_ms, 5);

  Settings unchanged;
  const auto typo = ApplySettings(boost::json::parse(R"({"ttft":5})").as_object(), unchanged);
  EXPECT_FALSE(typo.ok());
  EXPECT_NE(typo.message().find("ttft"), std::string::npos);
  const auto bad_fault =
      ApplySettings(boost::json::parse(R"({"fault":"explode"})").as_object(), unchanged);
  EXPECT_FALSE(bad_fault.ok());
  const auto partly_bad =
      ApplySettings(boost::json::parse(R"({"tokens":3,"status":"x"})").as_object(), unchanged);
  EXPECT_FALSE(partly_bad.ok());
  EXPECT_EQ(unchanged.tokens, Settings{}.tokens);  // all or nothing

  Settings roundtrip;
  roundtrip.fault = Fault::kStall;
  roundtrip.stall_ms = 7;
  Settings copy;
  ASSERT_TRUE(ApplySettings(SettingsToJson(roundtrip), copy).ok());
  EXPECT_EQ(copy.fault, Fault::kStall);
  EXPECT_EQ(copy.stall_ms, 7);
}

TEST(SimGeneration, JsonBuilderKeepsOrderAndFormatsLikeLlama) {
  JsonBuilder out;
  out.BeginObject().Key("b").Int(1).Key("a").BeginArray().Double(0).Double(22.195).EndArray();
  out.Key("s").String("q\"\n\x01").Key("n").Null().EndObject();
  EXPECT_EQ(out.str(), R"({"b":1,"a":[0.0,22.195],"s":"q\"\n\u0001","n":null})");
}

}  // namespace
}  // namespace lanewise::sim
