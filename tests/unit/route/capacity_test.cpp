// Capacity in the executor: a full lane (its gate's slots all held) bursts to the plan's
// next attempt, refuses with 429, or queues and gives up with 503, each with Retry-After
// and recorded; a queued call runs once a slot frees.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "route/executor.h"
#include "scripted_lane.h"

namespace lanewise::route {
namespace {

using namespace fixture;  // NOLINT: the fixture of scripted_lane.h
using std::chrono::milliseconds;

struct Full {
  Fixture f{{{core::Status::Ok(), {}}}, {{core::Status::Ok(), {}}}};
  std::shared_ptr<lanes::LaneHealth> health = std::make_shared<lanes::LaneHealth>();
  Executor executor{f.registry, nullptr, health};
  explicit Full(config::WhenFull when_full, int queue = 0, milliseconds timeout = {}) {
    config::LaneCapacity& c = f.a->mutable_config().capacity;
    c.max_concurrency = 1;
    c.when_full = when_full;
    c.queue = queue;
    c.queue_timeout = timeout;
    // Someone else holds lane a's only slot.
    auto hold = [this]() -> boost::asio::awaitable<void> {
      co_await health->gate().Acquire("a", {1, 0, {}}, nullptr);
    };
    boost::asio::io_context io;
    boost::asio::co_spawn(io, hold, boost::asio::detached);
    io.run();
  }
};

TEST(CapacityTest, BurstGoesToTheNextAttemptOfThePlan) {
  Full full(config::WhenFull::kBurst);
  ExecutionRecord record;
  core::ChatRequest request;
  auto answer = RunTask(full.executor.Complete(request, kNoFacts, PlanAB(), {}, record));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(record.served_by, "b");
  EXPECT_EQ(full.f.a->calls, 0);
  ASSERT_EQ(record.attempts.size(), 2u);
  EXPECT_EQ(record.attempts[0].status.reason(), "lane_at_capacity");
  EXPECT_EQ(record.attempts[0].request_bytes, 0u);
  // Nothing else may serve: the client hears it (429, Retry-After).
  core::RouteDecision only_a;
  only_a.plan = {{"a", "model-a", "primary", false}};
  ExecutionRecord second;
  auto refused = RunTask(full.executor.Complete(request, kNoFacts, only_a, {}, second));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "lane_at_capacity");
  EXPECT_GE(refused.status().retry_after_seconds(), 1);
}

TEST(CapacityTest, RefuseAnswersAtOnceAndTriesNothingElse) {
  Full full(config::WhenFull::kRefuse);
  ExecutionRecord record;
  core::ChatRequest request;
  request.stream = true;
  auto stream = RunTask(full.executor.Stream(request, kNoFacts, PlanAB(), {}, record));
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().reason(), "lane_at_capacity");
  EXPECT_EQ(full.f.a->calls, 0);
  EXPECT_EQ(full.f.b->calls, 0);
}

TEST(CapacityTest, AFullQueueTimesOutWith503Reasons) {
  Full full(config::WhenFull::kQueue, 2, milliseconds(30));
  ExecutionRecord record;
  core::ChatRequest request;
  auto answer = RunTask(full.executor.Complete(request, kNoFacts, PlanAB(), {}, record));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().reason(), "lane_queue_timeout");
  EXPECT_EQ(full.f.b->calls, 0);  // queue: the request waits for its lane, it does not burst
  ASSERT_EQ(record.attempts.size(), 1u);
  EXPECT_GE(record.attempts[0].queued_ms, 25);
}

TEST(CapacityTest, AQueuedCallRunsWhenASlotFrees) {
  Full full(config::WhenFull::kQueue, 2, milliseconds(5000));
  ExecutionRecord record;
  core::ChatRequest request;
  boost::asio::io_context io;
  std::optional<core::Result<core::ChatResponse>> answer;
  // Locals, not temporaries, across the co_await (g++ 12 destroys those too early).
  const core::RouteDecision decision = PlanAB();
  const lanes::CallContext context;
  auto call = [&]() -> boost::asio::awaitable<void> {
    auto result = co_await full.executor.Complete(request, kNoFacts, decision, context, record);
    answer.emplace(std::move(result));
  };
  auto release = [&]() -> boost::asio::awaitable<void> {
    boost::asio::steady_timer pause(io, milliseconds(40));
    co_await pause.async_wait(boost::asio::use_awaitable);
    full.health->gate().Release("a");
  };
  boost::asio::co_spawn(io, call, boost::asio::detached);
  boost::asio::co_spawn(io, release, boost::asio::detached);
  io.run();
  ASSERT_TRUE(answer.has_value() && answer->ok());
  EXPECT_EQ(record.served_by, "a");
  EXPECT_GE(record.attempts[0].queued_ms, 30);
  EXPECT_EQ(full.health->gate().Running("a"), 0);  // released after the answer
}

}  // namespace
}  // namespace lanewise::route
