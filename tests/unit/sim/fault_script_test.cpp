// Fault scripts without sockets: which bytes go out, in which order, at which time.
#include <gtest/gtest.h>

#include "tools/sim/chat_params.h"
#include "tools/sim/completion.h"
#include "tools/sim/response_script.h"
#include "tools/sim/wire.h"

namespace lanewise::sim {
namespace {

using Kind = Step::Kind;

constexpr const char* kStream =
    R"({"messages":[{"role":"user","content":"hi"}],"stream":true,"max_tokens":4})";
constexpr const char* kPlain = R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":4})";

ResponseScript Build(const char* body, Settings settings) {
  auto wire = MakeWire(Flavor::kLlama, "m");
  auto params = ParseChatRequest(body);
  EXPECT_TRUE(params.ok());
  return BuildChatScript(*wire, *params, settings,
                         PlanCompletion(*params, settings, Flavor::kLlama));
}

std::vector<Kind> Kinds(const ResponseScript& script) {
  std::vector<Kind> kinds;
  for (const auto& step : script.steps) kinds.push_back(step.kind);
  return kinds;
}

std::string Chunks(const ResponseScript& script) {
  std::string out;
  for (const auto& step : script.steps) {
    if (step.kind == Kind::kChunk) out += step.data;
  }
  return out;
}

TEST(SimFaultScript, NormalStreamIsRoleTokensFinishDone) {
  const auto script = Build(kStream, {});
  // start, role, 4 tokens, finish chunk, [DONE], last chunk
  EXPECT_EQ(Kinds(script), (std::vector<Kind>{Kind::kStartStream, Kind::kChunk, Kind::kChunk,
                                              Kind::kChunk, Kind::kChunk, Kind::kChunk,
                                              Kind::kChunk, Kind::kChunk, Kind::kFinish}));
  EXPECT_EQ(script.steps[7].data, "data: [DONE]\n\n");
}

TEST(SimFaultScript, StatusIsPlainJsonEvenForAStream) {
  Settings settings;
  settings.fault = Fault::kStatus;
  settings.status = 503;
  const auto script = Build(kStream, settings);
  ASSERT_EQ(Kinds(script), (std::vector<Kind>{Kind::kRespond}));
  EXPECT_EQ(script.steps[0].status, 503);
  EXPECT_EQ(script.steps[0].data,
            R"({"error":{"message":"Loading model","type":"unavailable_error","code":503}})");
}

TEST(SimFaultScript, ResetBeforeFirstByteSendsNothing) {
  Settings settings;
  settings.fault = Fault::kResetBeforeFirstByte;
  EXPECT_EQ(Kinds(Build(kStream, settings)), (std::vector<Kind>{Kind::kReset}));
  EXPECT_EQ(Kinds(Build(kPlain, settings)), (std::vector<Kind>{Kind::kReset}));
}

TEST(SimFaultScript, ResetAfterFirstByteSendsHeadersAndNChunks) {
  Settings settings;
  settings.fault = Fault::kResetAfterFirstByte;
  settings.after_chunks = 3;
  EXPECT_EQ(Kinds(Build(kStream, settings)),
            (std::vector<Kind>{Kind::kStartStream, Kind::kChunk, Kind::kChunk, Kind::kChunk,
                               Kind::kReset}));
  settings.after_chunks = 0;
  EXPECT_EQ(Kinds(Build(kStream, settings)), (std::vector<Kind>{Kind::kStartStream, Kind::kReset}));
  // Non-stream: the head promises more body than arrives.
  const auto plain = Build(kPlain, settings);
  ASSERT_EQ(Kinds(plain), (std::vector<Kind>{Kind::kRaw, Kind::kReset}));
  EXPECT_EQ(plain.steps[0].data.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
}

TEST(SimFaultScript, TruncateEndsCleanlyWithoutFinishOrDone) {
  Settings settings;
  settings.fault = Fault::kTruncate;
  settings.after_chunks = 2;
  const auto script = Build(kStream, settings);
  EXPECT_EQ(Kinds(script),
            (std::vector<Kind>{Kind::kStartStream, Kind::kChunk, Kind::kChunk, Kind::kFinish}));
  EXPECT_EQ(Chunks(script).find("finish_reason\":\"length"), std::string::npos);
  EXPECT_EQ(Chunks(script).find("[DONE]"), std::string::npos);
  // More chunks asked than the answer has: the cut still comes before the finish chunk.
  settings.after_chunks = 100;
  const auto late = Build(kStream, settings);
  EXPECT_EQ(Chunks(late).find("finish_reason\":\"length"), std::string::npos);
  EXPECT_EQ(late.steps.size(), 1u + 5u + 1u);
}

TEST(SimFaultScript, MalformedChunkIsInsertedAndTheStreamGoesOn) {
  Settings settings;
  settings.fault = Fault::kMalformedChunk;
  settings.after_chunks = 2;
  const auto script = Build(kStream, settings);
  ASSERT_GE(script.steps.size(), 4u);
  EXPECT_EQ(script.steps[3].data, kMalformedFrame);
  EXPECT_NE(Chunks(script).find("data: [DONE]"), std::string::npos);
}

TEST(SimFaultScript, ErrorEventEndsTheStreamWithoutDone) {
  Settings settings;
  settings.fault = Fault::kErrorEvent;
  settings.after_chunks = 2;
  settings.message = "boom";
  const auto script = Build(kStream, settings);
  EXPECT_EQ(Kinds(script), (std::vector<Kind>{Kind::kStartStream, Kind::kChunk, Kind::kChunk,
                                              Kind::kChunk, Kind::kFinish}));
  EXPECT_EQ(script.steps[3].data,
            "data: {\"error\":{\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"}}\n\n");
}

TEST(SimFaultScript, StallDelaysTheFirstByteOrTheMiddle) {
  Settings before;
  before.fault = Fault::kStall;
  before.stall_ms = 250;
  before.ttft_ms = 10;
  const auto first = Build(kStream, before);
  EXPECT_DOUBLE_EQ(first.steps[0].at_ms, 260);
  EXPECT_DOUBLE_EQ(first.steps.back().at_ms, 260);

  Settings middle = before;
  middle.stall_after_chunks = 2;
  const auto script = Build(kStream, middle);
  EXPECT_DOUBLE_EQ(script.steps[0].at_ms, 10);   // headers on time
  EXPECT_DOUBLE_EQ(script.steps[2].at_ms, 10);   // second frame on time
  EXPECT_DOUBLE_EQ(script.steps[3].at_ms, 260);  // third frame after the stall

  const auto plain = Build(kPlain, before);
  EXPECT_DOUBLE_EQ(plain.steps[0].at_ms, 260);
}

TEST(SimFaultScript, PacingSpacesTokensByTheRate) {
  Settings settings;
  settings.ttft_ms = 100;
  settings.tokens_per_second = 50;  // 20 ms per token
  const auto script = Build(kStream, settings);
  EXPECT_DOUBLE_EQ(script.steps[1].at_ms, 100);  // role chunk at ttft
  EXPECT_DOUBLE_EQ(script.steps[2].at_ms, 120);
  EXPECT_DOUBLE_EQ(script.steps[5].at_ms, 180);
  EXPECT_DOUBLE_EQ(script.steps.back().at_ms, 180);
  EXPECT_DOUBLE_EQ(Build(kPlain, settings).steps[0].at_ms, 180);
}

}  // namespace
}  // namespace lanewise::sim
