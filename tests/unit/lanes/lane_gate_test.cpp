// LaneGate: the concurrency limit, the bounded first-come-first-served queue and its
// timeout, and a slot handed from one I/O thread to a waiter on another.
#include "lanes/lane_gate.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <vector>

namespace lanewise::lanes {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

TEST(LaneGateTest, AdmitsUpToTheLimitQueuesThenTurnsAway) {
  LaneGate gate;
  asio::io_context io;
  const GateLimits limits{2, 1, milliseconds(5000)};
  std::vector<Admission> outcomes;
  milliseconds waited{0};
  auto run = [&]() -> asio::awaitable<void> {
    outcomes.push_back(co_await gate.Acquire("local", limits, nullptr));
    outcomes.push_back(co_await gate.Acquire("local", limits, nullptr));
    EXPECT_EQ(gate.Running("local"), 2);
    // The third waits; a fourth finds the queue full at once.
    auto third = [&]() -> asio::awaitable<void> {
      outcomes.push_back(co_await gate.Acquire("local", limits, &waited));
    };
    asio::co_spawn(io, third, asio::detached);
    asio::steady_timer pause(io, milliseconds(20));
    co_await pause.async_wait(asio::use_awaitable);
    EXPECT_EQ(gate.Waiting("local"), 1);
    outcomes.push_back(co_await gate.Acquire("local", limits, nullptr));
    gate.Release("local");  // the slot goes to the waiter
    pause.expires_after(milliseconds(20));
    co_await pause.async_wait(asio::use_awaitable);
    EXPECT_EQ(gate.Running("local"), 2);
    EXPECT_EQ(gate.Waiting("local"), 0);
    gate.Release("local");
    gate.Release("local");
    EXPECT_EQ(gate.Running("local"), 0);
  };
  asio::co_spawn(io, run, asio::detached);
  io.run();
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0], Admission::kAdmitted);
  EXPECT_EQ(outcomes[1], Admission::kAdmitted);
  EXPECT_EQ(outcomes[2], Admission::kQueueFull);  // the fourth call, pushed first
  EXPECT_EQ(outcomes[3], Admission::kAdmitted);   // the third, after the release
  EXPECT_GE(waited.count(), 15);
}

TEST(LaneGateTest, AWaiterGivesUpAfterTheTimeout) {
  LaneGate gate;
  asio::io_context io;
  const GateLimits limits{1, 4, milliseconds(30)};
  Admission second = Admission::kAdmitted;
  milliseconds waited{0};
  auto run = [&]() -> asio::awaitable<void> {
    EXPECT_EQ(co_await gate.Acquire("local", limits, nullptr), Admission::kAdmitted);
    second = co_await gate.Acquire("local", limits, &waited);
    EXPECT_EQ(gate.Waiting("local"), 0);
    gate.Release("local");
    EXPECT_EQ(gate.Running("local"), 0);
  };
  asio::co_spawn(io, run, asio::detached);
  io.run();
  EXPECT_EQ(second, Admission::kTimedOut);
  EXPECT_GE(waited.count(), 25);
  // No limit: always admitted; no queue: turned away at once.
  asio::io_context io2;
  auto unlimited = [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(co_await gate.Acquire("cloud", GateLimits{}, nullptr), Admission::kAdmitted);
    }
    const GateLimits no_queue{1, 0, milliseconds(100)};
    EXPECT_EQ(co_await gate.Acquire("gpu", no_queue, nullptr), Admission::kAdmitted);
    EXPECT_EQ(co_await gate.Acquire("gpu", no_queue, nullptr), Admission::kQueueFull);
  };
  asio::co_spawn(io2, unlimited, asio::detached);
  io2.run();
}

TEST(LaneGateTest, ASlotPassesBetweenThreads) {
  LaneGate gate;
  const GateLimits limits{1, 8, milliseconds(5000)};
  asio::io_context a;
  asio::io_context b;
  std::atomic<int> admitted{0};
  auto holder = [&]() -> asio::awaitable<void> {
    EXPECT_EQ(co_await gate.Acquire("local", limits, nullptr), Admission::kAdmitted);
    asio::steady_timer pause(a, milliseconds(50));
    co_await pause.async_wait(asio::use_awaitable);
    gate.Release("local");
  };
  auto waiter = [&]() -> asio::awaitable<void> {
    asio::steady_timer pause(b, milliseconds(10));
    co_await pause.async_wait(asio::use_awaitable);
    if (co_await gate.Acquire("local", limits, nullptr) == Admission::kAdmitted) ++admitted;
    gate.Release("local");
  };
  asio::co_spawn(a, holder, asio::detached);
  asio::co_spawn(b, waiter, asio::detached);
  std::thread other([&] { b.run(); });
  a.run();
  other.join();
  EXPECT_EQ(admitted.load(), 1);
  EXPECT_EQ(gate.Running("local"), 0);
}

}  // namespace
}  // namespace lanewise::lanes
