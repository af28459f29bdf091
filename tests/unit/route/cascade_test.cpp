// Cascades in the executor: the first lane's answer judged by its token logprobs,
// refusal and truncation; escalation within the plan; one answer per client, whole or
// streamed (docs/policy.md, "Cascades").
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <random>

#include "route/cascade_judge.h"
#include "route/executor.h"
#include "route/metered_stream.h"
#include "route/replay_stream.h"
#include "scripted_lane.h"

namespace lanewise::route {
namespace {

using namespace fixture;  // NOLINT: the fixture of scripted_lane.h

// A chat.completion whose tokens have these log-probabilities (none: no logprobs field).
std::string Completion(const std::vector<double>& logprobs, std::string content = "four",
                       std::string finish = "stop") {
  boost::json::object message{{"role", "assistant"}, {"content", content}};
  boost::json::object choice{{"index", 0}, {"message", message}, {"finish_reason", finish}};
  if (!logprobs.empty()) {
    boost::json::array entries;
    for (double lp : logprobs) {
      entries.push_back(boost::json::object{{"token", "t"}, {"logprob", lp}});
    }
    choice["logprobs"] = boost::json::object{{"content", entries}};
  }
  boost::json::object body{{"object", "chat.completion"}, {"choices", boost::json::array{choice}}};
  return boost::json::serialize(body);
}

// Stream chunks: a role chunk, one chunk per token (with its logprob), a finish chunk.
std::vector<core::ChatEvent> Chunks(const std::vector<double>& logprobs,
                                    std::string finish = "stop") {
  std::vector<core::ChatEvent> events;
  events.push_back(core::ChatEvent::Chunk(
      R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"));
  for (double lp : logprobs) {
    boost::json::object entry{{"token", " w"}, {"logprob", lp}};
    boost::json::object choice{
        {"index", 0},
        {"delta", boost::json::object{{"content", " w"}}},
        {"logprobs", boost::json::object{{"content", boost::json::array{entry}}}}};
    events.push_back(core::ChatEvent::Chunk(
        boost::json::serialize(boost::json::object{{"choices", boost::json::array{choice}}})));
  }
  events.push_back(core::ChatEvent::Chunk(R"({"choices":[{"index":0,"delta":{},"finish_reason":")" +
                                          finish + R"("}]})"));
  events.push_back(core::ChatEvent::Done());
  return events;
}

core::RouteDecision Cascade(double threshold = 0.6) {
  core::RouteDecision d = PlanAB();
  d.plan[0].verify = true;
  d.plan[0].estimated_cost_usd = 0.0;
  d.plan[1].role = "escalation";
  d.plan[1].estimated_cost_usd = 0.01;
  core::CascadeSettings settings;
  settings.threshold = threshold;
  d.cascade = settings;
  return d;
}

std::vector<core::ChatEvent> Drain(lanes::ChatStream& stream) {
  std::vector<core::ChatEvent> out;
  while (true) {
    out.push_back(RunTask(stream.Next()));
    if (out.back().kind != core::ChatEvent::Kind::kChunk) return out;
  }
}

TEST(CascadeJudgeTest, ConfidenceIsTheGeometricMeanOfTokenProbabilities) {
  CascadeJudge judge;
  judge.AddCompletion(boost::json::parse(Completion({std::log(0.9), std::log(0.4)})).as_object());
  core::CascadeSettings settings;
  settings.threshold = 0.6;
  CascadeVerdict v = judge.Verdict(settings);
  EXPECT_NEAR(v.confidence, std::sqrt(0.9 * 0.4), 1e-9);  // 0.6
  EXPECT_EQ(v.scored_tokens, 2);
  settings.threshold = 0.61;
  EXPECT_TRUE(judge.Verdict(settings).escalate);
  EXPECT_EQ(judge.Verdict(settings).reason, "low_confidence");
  settings.threshold = 0.59;
  EXPECT_FALSE(judge.Verdict(settings).escalate);
}

TEST(CascadeJudgeTest, RefusalTruncationAndUnscoredAnswers) {
  core::CascadeSettings settings;
  settings.threshold = 0.1;
  auto verdict = [&](const std::string& body) {
    CascadeJudge judge;
    judge.AddCompletion(boost::json::parse(body).as_object());
    return judge.Verdict(settings);
  };
  EXPECT_EQ(verdict(Completion({-0.01}, "  I'm sorry, but I can't help with that.")).reason,
            "refusal");
  EXPECT_EQ(verdict(Completion({-0.01}, "four", "length")).reason, "truncated");
  EXPECT_FALSE(verdict(Completion({}, "four")).escalate);  // unscored: kept by default
  EXPECT_LT(verdict(Completion({}, "four")).confidence, 0);
  // OpenAI's refusal field.
  EXPECT_EQ(verdict(R"({"choices":[{"message":{"content":null,"refusal":"No."},)"
                    R"("finish_reason":"stop"}]})")
                .reason,
            "refusal");
  settings.escalate_on_refusal = false;
  settings.escalate_on_truncation = false;
  settings.escalate_unscored = true;
  EXPECT_FALSE(verdict(Completion({-0.01}, "I cannot help with that")).escalate);
  EXPECT_FALSE(verdict(Completion({-0.01}, "four", "length")).escalate);
  EXPECT_EQ(verdict(Completion({}, "four")).reason, "unscored");
  EXPECT_FALSE(OpensWithRefusal("Sorry to hear that; here is the fix"));
  EXPECT_TRUE(OpensWithRefusal("I am unable to comply"));
}

TEST(CascadeJudgeTest, StreamChunksAddUp) {
  CascadeJudge judge;
  for (const core::ChatEvent& e : Chunks({std::log(0.5), std::log(0.5), std::log(0.5)})) {
    if (e.kind == core::ChatEvent::Kind::kChunk) {
      judge.AddChunk(boost::json::parse(e.data).as_object());
    }
  }
  core::CascadeSettings settings;
  EXPECT_NEAR(judge.Verdict(settings).confidence, 0.5, 1e-9);
  EXPECT_EQ(judge.Verdict(settings).scored_tokens, 3);
}

TEST(CascadeExecutorTest, ConfidentFirstAnswerIsKeptAndItsLogprobsStripped) {
  Fixture f({{core::Status::Ok(), {}, Completion({-0.05, -0.1})}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto answer = RunTask(executor.Complete(request, kNoFacts, Cascade(), {}, record));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(f.b->calls, 0);
  // The lane was asked for logprobs; the client, who did not ask, gets none.
  ASSERT_EQ(f.a->received.size(), 1u);
  EXPECT_NE(f.a->received[0].find("\"logprobs\":true"), std::string::npos);
  EXPECT_EQ(answer->body.find("logprobs"), std::string::npos);
  EXPECT_EQ(record.served_by, "a");
  EXPECT_TRUE(record.cascade.judged);
  EXPECT_EQ(record.cascade.verdict, "accepted");
  EXPECT_NEAR(record.cascade.confidence, std::exp(-0.075), 1e-9);
  EXPECT_DOUBLE_EQ(record.cascade.threshold, 0.6);
}

TEST(CascadeExecutorTest, ClientWhoAskedForLogprobsKeepsThem) {
  Fixture f({{core::Status::Ok(), {}, Completion({-0.05})}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  request.body["logprobs"] = true;
  auto answer = RunTask(executor.Complete(request, kNoFacts, Cascade(), {}, record));
  ASSERT_TRUE(answer.ok());
  EXPECT_NE(answer->body.find("logprobs"), std::string::npos);
}

TEST(CascadeExecutorTest, DoubtfulAnswerEscalatesAndBothAttemptsAreRecorded) {
  Fixture f({{core::Status::Ok(), {}, Completion({-2.0, -1.5})}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto answer = RunTask(executor.Complete(request, kNoFacts, Cascade(), {}, record));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->body, "answer from b model-b");
  EXPECT_EQ(record.served_by, "b");
  // The escalation is not judged: the cloud lane is not asked for logprobs.
  ASSERT_EQ(f.b->received.size(), 1u);
  EXPECT_EQ(f.b->received[0].find("logprobs"), std::string::npos);
  ASSERT_EQ(record.attempts.size(), 2u);
  EXPECT_EQ(record.attempts[0].escalated_because, "low_confidence");
  EXPECT_EQ(record.attempts[1].role, "escalation");
  EXPECT_DOUBLE_EQ(record.attempts[1].estimated_cost_usd, 0.01);
  EXPECT_EQ(record.cascade.verdict, "escalated");
  EXPECT_EQ(record.cascade.reason, "low_confidence");
  EXPECT_NEAR(record.cascade.confidence, std::exp(-1.75), 1e-9);
  EXPECT_FALSE(record.cascade.escalation_failed);
}

TEST(CascadeExecutorTest, FailedEscalationServesTheFirstAnswer) {
  Fixture f({{core::Status::Ok(), {}, Completion({-3.0}, "maybe five")}},
            {{core::Unavailable("down"), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto answer = RunTask(executor.Complete(request, kNoFacts, Cascade(), {}, record));
  ASSERT_TRUE(answer.ok());
  EXPECT_NE(answer->body.find("maybe five"), std::string::npos);
  EXPECT_EQ(answer->body.find("logprobs"), std::string::npos);
  EXPECT_EQ(record.served_by, "a");
  EXPECT_TRUE(record.cascade.escalation_failed);
  // Also when the escalation may not be sent at all (no redaction configured).
  Fixture g({{core::Status::Ok(), {}, Completion({-3.0}, "maybe five")}},
            {{core::Status::Ok(), {}}});
  Executor plain(g.registry);
  core::RouteDecision redacted = Cascade();
  redacted.plan[1].redact = true;
  ExecutionRecord second;
  auto kept = RunTask(plain.Complete(request, kNoFacts, redacted, {}, second));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(g.b->calls, 0);
  EXPECT_EQ(second.served_by, "a");
}

TEST(CascadeExecutorTest, FirstLaneFailureFallsBackUnjudged) {
  Fixture f({{core::Unavailable("down"), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto answer = RunTask(executor.Complete(request, kNoFacts, Cascade(), {}, record));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(record.served_by, "b");
  EXPECT_FALSE(record.cascade.judged);
}

TEST(CascadeExecutorTest, StreamIsJudgedBeforeTheFirstByteAndReleasedWhole) {
  Fixture f({{core::Status::Ok(), Chunks({-0.01, -0.02})}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  request.stream = true;
  auto stream = RunTask(executor.Stream(request, kNoFacts, Cascade(), {}, record));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(record.cascade.verdict, "accepted");
  EXPECT_EQ(f.b->calls, 0);
  auto events = Drain(**stream);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events.back().kind, core::ChatEvent::Kind::kDone);
  for (const auto& e : events) EXPECT_EQ(e.data.find("logprobs"), std::string::npos) << e.data;
  EXPECT_NE(events[1].data.find(" w"), std::string::npos);
}

TEST(CascadeExecutorTest, DoubtfulStreamIsDroppedUnseenAndTheEscalationStreams) {
  const std::vector<core::ChatEvent> cloud = {
      core::ChatEvent::Chunk(R"({"choices":[{"index":0,"delta":{"content":"cloud"}}]})"),
      core::ChatEvent::Done()};
  Fixture f({{core::Status::Ok(), Chunks({-0.01, -0.02}, "length")}},
            {{core::Status::Ok(), cloud}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  request.stream = true;
  auto stream = RunTask(executor.Stream(request, kNoFacts, Cascade(), {}, record));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(record.cascade.reason, "truncated");
  EXPECT_EQ(record.served_by, "b");
  auto events = Drain(**stream);
  ASSERT_EQ(events.size(), 2u);  // only the escalation's answer: never two answers
  EXPECT_NE(events[0].data.find("cloud"), std::string::npos);
}

TEST(CascadeExecutorTest, StreamLongerThanTheBufferIsReleasedUnjudged) {
  std::vector<double> many(50, -3.0);
  Fixture f({{core::Status::Ok(), Chunks(many)}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  request.stream = true;
  core::RouteDecision decision = Cascade();
  decision.cascade->stream_buffer_bytes = 512;
  auto stream = RunTask(executor.Stream(request, kNoFacts, decision, {}, record));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(record.cascade.verdict, "unverified");
  EXPECT_EQ(f.b->calls, 0);
  auto events = Drain(**stream);
  EXPECT_EQ(events.size(), 53u);  // every chunk of the one answer, then [DONE]
  EXPECT_EQ(events.back().kind, core::ChatEvent::Kind::kDone);
  for (const auto& e : events) EXPECT_EQ(e.data.find("logprobs"), std::string::npos);
}

TEST(CascadeExecutorTest, FirstStreamBreakingBeforeItEndsFallsBack) {
  std::vector<core::ChatEvent> broken = Chunks({-0.01});
  broken.resize(2);
  broken.push_back(core::ChatEvent::Error(core::Unavailable("reset", "lane_reset")));
  const std::vector<core::ChatEvent> cloud = {
      core::ChatEvent::Chunk(R"({"choices":[{"index":0,"delta":{"content":"cloud"}}]})"),
      core::ChatEvent::Done()};
  Fixture f({{core::Status::Ok(), broken}}, {{core::Status::Ok(), cloud}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  request.stream = true;
  auto stream = RunTask(executor.Stream(request, kNoFacts, Cascade(), {}, record));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(record.served_by, "b");
  auto events = Drain(**stream);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[0].data.find("cloud"), std::string::npos);
}

// Events arrive in batches: TryNext hands out the rest of the current batch, Next waits for
// (starts) the next one.
class BatchStream final : public lanes::ChatStream {
 public:
  explicit BatchStream(std::vector<std::vector<core::ChatEvent>> batches)
      : batches_(std::move(batches)) {}
  asio::awaitable<core::ChatEvent> Next() override {
    while (true) {  // empty batches are skipped
      if (auto ready = TryNext()) co_return *ready;
      ++batch_;
      next_ = 0;
    }
  }
  std::optional<core::ChatEvent> TryNext() override {
    if (batch_ >= batches_.size()) return batches_.back().back();  // the terminal, again
    if (next_ < batches_[batch_].size()) return batches_[batch_][next_++];
    return std::nullopt;
  }
  bool HasBufferedEvent() const override {
    return batch_ < batches_.size() && next_ < batches_[batch_].size();
  }

 private:
  std::vector<std::vector<core::ChatEvent>> batches_;
  std::size_t batch_ = 0;
  std::size_t next_ = 0;
};

TEST(ReplayStreamTest, TryNextAndNextHandOutOneSequence) {
  auto chunk = [](int i) {
    return core::ChatEvent::Chunk(R"({"choices":[{"delta":{"content":")" + std::to_string(i) +
                                  R"("},"logprobs":{"content":[]}}]})");
  };
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::vector<core::ChatEvent>> batches(1 + rng() % 5);
    int n = 0;
    for (auto& batch : batches) {
      const int size = static_cast<int>(rng() % 4);
      for (int k = 0; k < size; ++k) batch.push_back(chunk(n++));
    }
    batches.back().push_back(core::ChatEvent::Done());
    std::deque<core::ChatEvent> held{chunk(-1)};
    ReplayStream mixed(held, std::make_unique<BatchStream>(batches), true);
    ReplayStream awaited(held, std::make_unique<BatchStream>(batches), true);
    std::vector<std::string> got, want;
    asio::io_context io;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          for (int i = 0; i < n + 3; ++i) {
            std::optional<core::ChatEvent> e = rng() % 2 ? mixed.TryNext() : std::nullopt;
            if (!e.has_value()) e = co_await mixed.Next();
            got.push_back(e->data + "|" + std::to_string(static_cast<int>(e->kind)));
            core::ChatEvent w = co_await awaited.Next();
            want.push_back(w.data + "|" + std::to_string(static_cast<int>(w.kind)));
          }
        },
        asio::detached);
    io.run();
    EXPECT_EQ(got, want);
    EXPECT_EQ(got.front().find("logprobs"), std::string::npos);  // cleaned on both paths
  }
}

TEST(MeteredStreamTest, ChunkCarriesContentLooksForANonEmptyContentString) {
  EXPECT_TRUE(ChunkCarriesContent(R"({"choices":[{"delta":{"content":"hi"}}]})"));
  EXPECT_FALSE(ChunkCarriesContent(R"({"choices":[{"delta":{"content":""}}]})"));
  EXPECT_FALSE(ChunkCarriesContent(R"({"choices":[{"delta":{"role":"assistant"}}]})"));
  EXPECT_FALSE(ChunkCarriesContent(R"({"choices":[{"delta":{"xcontent":"a","content":null}}]})"));
  EXPECT_TRUE(ChunkCarriesContent(R"({"a":"content","b":{"content":"x"}})"));
}

TEST(ReplayStreamTest, StripsOnlyLogprobs) {
  EXPECT_EQ(
      StripChunkLogprobs(R"({"choices":[{"delta":{"content":"x"},"logprobs":{"content":[]}}]})"),
      R"({"choices":[{"delta":{"content":"x"}}]})");
  EXPECT_EQ(StripChunkLogprobs("not json logprobs"), "not json logprobs");
}

}  // namespace
}  // namespace lanewise::route
