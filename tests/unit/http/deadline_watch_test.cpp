#include "http/deadline_watch.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

namespace lanewise::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Runs `ctx` for at most `limit` (real time).
void RunFor(asio::io_context& ctx, std::chrono::milliseconds limit) {
  ctx.restart();
  ctx.run_for(limit);
}

TEST(DeadlineWatchTest, FiresWhenAnArmedOperationOutlivesItsDeadline) {
  asio::io_context ctx;
  int fired = 0;
  DeadlineWatch watch(ctx.get_executor(), [&] { ++fired; });
  watch.Arm(20ms);
  RunFor(ctx, 200ms);
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(watch.expired());
}

TEST(DeadlineWatchTest, DisarmedInTimeNeverFires) {
  asio::io_context ctx;
  int fired = 0;
  DeadlineWatch watch(ctx.get_executor(), [&] { ++fired; });
  watch.Arm(30ms);
  watch.Disarm();
  RunFor(ctx, 100ms);
  EXPECT_EQ(fired, 0);
  EXPECT_FALSE(watch.expired());
}

TEST(DeadlineWatchTest, EachOperationGetsItsOwnDeadlineFromItsStart) {
  asio::io_context ctx;
  Clock::time_point fired_at{};
  DeadlineWatch watch(ctx.get_executor(), [&] { fired_at = Clock::now(); });
  const auto start = Clock::now();
  // Operations of 40 ms each, one after the other, every one within a 60 ms deadline: the
  // first timer wait (60 ms) ends while the third operation runs and must not fire.
  asio::steady_timer step(ctx);
  int operations = 0;
  std::function<void()> next = [&] {
    watch.Disarm();
    if (++operations == 4) return;
    watch.Arm(60ms);
    step.expires_after(40ms);
    step.async_wait([&](const boost::system::error_code&) { next(); });
  };
  watch.Arm(60ms);
  step.expires_after(40ms);
  step.async_wait([&](const boost::system::error_code&) { next(); });
  RunFor(ctx, 400ms);
  EXPECT_EQ(operations, 4);
  EXPECT_EQ(fired_at, Clock::time_point{});
  EXPECT_FALSE(watch.expired());

  // Then one operation that stalls: it fires about 60 ms after that operation started.
  const auto stalled = Clock::now();
  watch.Arm(60ms);
  RunFor(ctx, 400ms);
  ASSERT_TRUE(watch.expired());
  EXPECT_GE(fired_at - stalled, 55ms);
  EXPECT_GT(fired_at, start);
}

TEST(DeadlineWatchTest, AShorterDeadlineMovesTheTimerEarlier) {
  asio::io_context ctx;
  Clock::time_point fired_at{};
  DeadlineWatch watch(ctx.get_executor(), [&] { fired_at = Clock::now(); });
  watch.Arm(10s);
  watch.Disarm();
  const auto start = Clock::now();
  watch.Arm(30ms);
  RunFor(ctx, 500ms);
  ASSERT_TRUE(watch.expired());
  EXPECT_LT(fired_at - start, 400ms);
}

TEST(DeadlineWatchTest, DestroyingTheWatchWithAWaitPendingIsSafe) {
  asio::io_context ctx;
  int fired = 0;
  {
    DeadlineWatch watch(ctx.get_executor(), [&] { ++fired; });
    watch.Arm(10ms);
  }
  RunFor(ctx, 60ms);
  EXPECT_EQ(fired, 0);
}

}  // namespace
}  // namespace lanewise::http
