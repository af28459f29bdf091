#include "route/executor.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <deque>
#include <optional>

namespace lanewise::route {
namespace {

namespace asio = boost::asio;

const core::Facts kNoFacts;

// A lane whose answers are scripted: each call pops the next outcome.
class ScriptedLane final : public lanes::Lane {
 public:
  struct Outcome {
    core::Status status;                  // non-ok: the call fails this way
    std::vector<core::ChatEvent> events;  // for streams
  };
  ScriptedLane(std::string name, std::deque<Outcome> outcomes) : outcomes_(std::move(outcomes)) {
    config_.name = std::move(name);
  }
  const config::LaneConfig& config() const override { return config_; }
  int calls = 0;

  asio::awaitable<core::Result<core::ChatResponse>> Complete(const core::ChatRequest&,
                                                             const std::string& model,
                                                             const lanes::CallContext&) override {
    Outcome outcome = Pop();
    if (!outcome.status.ok()) co_return outcome.status;
    co_return core::ChatResponse{200, "answer from " + config_.name + " " + model};
  }
  asio::awaitable<core::Result<std::unique_ptr<lanes::ChatStream>>> Stream(
      const core::ChatRequest&, const std::string&, const lanes::CallContext&) override {
    Outcome outcome = Pop();
    if (!outcome.status.ok()) co_return outcome.status;
    std::unique_ptr<lanes::ChatStream> stream = std::make_unique<ListStream>(outcome.events);
    co_return stream;
  }
  asio::awaitable<core::Status> Probe(http::Millis) override { co_return core::Status::Ok(); }

 private:
  class ListStream final : public lanes::ChatStream {
   public:
    explicit ListStream(std::vector<core::ChatEvent> events) : events_(std::move(events)) {}
    asio::awaitable<core::ChatEvent> Next() override {
      if (next_ < events_.size()) co_return events_[next_++];
      co_return events_.back();
    }

   private:
    std::vector<core::ChatEvent> events_;
    std::size_t next_ = 0;
  };
  Outcome Pop() {
    ++calls;
    Outcome outcome = outcomes_.front();
    if (outcomes_.size() > 1) outcomes_.pop_front();
    return outcome;
  }
  config::LaneConfig config_;
  std::deque<Outcome> outcomes_;
};

core::Status LaneHttpError(int http) {
  core::Status status(core::StatusCode::kUpstreamError, "lane said no", "lane_error");
  status.WithUpstream(http, "upstream_error");
  return status;
}

struct Fixture {
  ScriptedLane* a;
  ScriptedLane* b;
  std::shared_ptr<lanes::LaneRegistry> registry;
  Fixture(std::deque<ScriptedLane::Outcome> a_outcomes,
          std::deque<ScriptedLane::Outcome> b_outcomes) {
    auto lane_a = std::make_unique<ScriptedLane>("a", std::move(a_outcomes));
    auto lane_b = std::make_unique<ScriptedLane>("b", std::move(b_outcomes));
    a = lane_a.get();
    b = lane_b.get();
    std::vector<std::unique_ptr<lanes::Lane>> all;
    all.push_back(std::move(lane_a));
    all.push_back(std::move(lane_b));
    registry = lanes::LaneRegistry::FromLanes(std::move(all));
  }
};

core::RouteDecision PlanAB() {
  core::RouteDecision decision;
  decision.plan = {{"a", "model-a", "primary", false}, {"b", "model-b", "fallback", false}};
  return decision;
}

template <typename T>
T RunTask(asio::awaitable<T> task) {
  asio::io_context io;
  std::optional<T> out;
  auto body = [&]() -> asio::awaitable<void> { out.emplace(co_await std::move(task)); };
  asio::co_spawn(io, body, asio::detached);
  io.run();
  return std::move(*out);
}

TEST(ShouldFallBackTest, RetriesOnlyWhatAnotherLaneMayFix) {
  EXPECT_TRUE(ShouldFallBack(core::Unavailable("x")));
  EXPECT_TRUE(ShouldFallBack(core::DeadlineExceeded("x")));
  EXPECT_TRUE(ShouldFallBack(LaneHttpError(429)));
  EXPECT_TRUE(ShouldFallBack(LaneHttpError(503)));
  EXPECT_FALSE(ShouldFallBack(LaneHttpError(400)));
  EXPECT_FALSE(ShouldFallBack(core::InvalidArgument("x")));
  EXPECT_FALSE(ShouldFallBack(core::Status(core::StatusCode::kCancelled, "gone")));
}

TEST(ExecutorTest, FallsBackWithinThePlanOnUnreachableLane) {
  Fixture f({{core::Unavailable("refused"), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto decision = PlanAB();
  auto result = RunTask(executor.Complete(request, kNoFacts, decision, {}, record));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->body, "answer from b model-b");
  EXPECT_EQ(record.served_by, "b");
  ASSERT_EQ(record.attempts.size(), 2u);
  EXPECT_EQ(record.attempts[0].status.reason(), "lane_unreachable");
}

TEST(ExecutorTest, DoesNotFallBackOnClientErrors) {
  Fixture f({{LaneHttpError(400), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto decision = PlanAB();
  auto result = RunTask(executor.Complete(request, kNoFacts, decision, {}, record));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().upstream_http_status(), 400);
  EXPECT_EQ(f.b->calls, 0);
}

TEST(ExecutorTest, NeverCallsALaneOutsideThePlan) {
  Fixture f({{core::Unavailable("down"), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  core::RouteDecision only_a;
  only_a.plan = {{"a", "model-a", "primary", false}};
  auto result = RunTask(executor.Complete(request, kNoFacts, only_a, {}, record));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(f.b->calls, 0);
}

TEST(ExecutorTest, AnAttemptThatNeedsRedactionIsNeverSentInTheClear) {
  Fixture f({{core::Unavailable("down"), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  core::RouteDecision decision = PlanAB();
  decision.plan[1].redact = true;
  auto result = RunTask(executor.Complete(request, kNoFacts, decision, {}, record));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(f.b->calls, 0);
  ASSERT_EQ(record.attempts.size(), 2u);
  EXPECT_EQ(record.attempts[1].status.reason(), "redaction_unavailable");
  auto stream = RunTask(executor.Stream(request, kNoFacts, decision, {}, record));
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(f.b->calls, 0);
}

TEST(ExecutorTest, EmptyPlanFailsClosed) {
  Fixture f({{core::Status::Ok(), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  core::RouteDecision none;
  none.no_route = true;
  auto result = RunTask(executor.Complete(request, kNoFacts, none, {}, record));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "no_route");
  EXPECT_EQ(f.a->calls + f.b->calls, 0);
}

TEST(ExecutorTest, StreamFallsBackWhenTheFirstEventIsAnError) {
  Fixture f({{core::Status::Ok(), {core::ChatEvent::Error(core::Unavailable("reset"))}}},
            {{core::Status::Ok(), {core::ChatEvent::Chunk("{\"n\":1}"), core::ChatEvent::Done()}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto decision = PlanAB();
  auto stream = RunTask(executor.Stream(request, kNoFacts, decision, {}, record));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(record.served_by, "b");
  auto first = RunTask(stream.value()->Next());
  EXPECT_EQ(first.kind, core::ChatEvent::Kind::kChunk);
  EXPECT_EQ(first.data, "{\"n\":1}");
  EXPECT_EQ(RunTask(stream.value()->Next()).kind, core::ChatEvent::Kind::kDone);
}

TEST(ExecutorTest, StreamDoesNotFallBackAfterTheFirstEvent) {
  Fixture f({{core::Status::Ok(),
              {core::ChatEvent::Chunk("{}"), core::ChatEvent::Error(core::Unavailable("reset"))}}},
            {{core::Status::Ok(), {core::ChatEvent::Done()}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto decision = PlanAB();
  auto stream = RunTask(executor.Stream(request, kNoFacts, decision, {}, record));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(RunTask(stream.value()->Next()).kind, core::ChatEvent::Kind::kChunk);
  auto second = RunTask(stream.value()->Next());
  EXPECT_EQ(second.kind, core::ChatEvent::Kind::kError);
  EXPECT_EQ(f.b->calls, 0);
}

}  // namespace
}  // namespace lanewise::route
