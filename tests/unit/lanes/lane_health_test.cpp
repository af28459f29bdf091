#include "lanes/lane_health.h"

#include <gtest/gtest.h>

namespace lanewise::lanes {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  LaneHealth::Clock::time_point now{};
  std::function<LaneHealth::Clock::time_point()> Fn() {
    return [this] { return now; };
  }
};

bool Reachable(const LaneHealth& health, const std::string& lane) {
  auto states = health.Snapshot();
  auto it = states.find(lane);
  return it == states.end() || it->second.reachable;
}

TEST(LaneHealthTest, OpensAfterConsecutiveFailuresAndRecoversAfterTheCooldown) {
  FakeClock clock;
  LaneHealth health({3, 5000ms, 60000ms}, clock.Fn());
  health.RecordFailure("cloud");
  health.RecordFailure("cloud");
  EXPECT_TRUE(Reachable(health, "cloud"));
  health.RecordFailure("cloud");
  EXPECT_FALSE(Reachable(health, "cloud"));
  EXPECT_TRUE(Reachable(health, "local"));  // never seen: reachable
  clock.now += 4999ms;
  EXPECT_FALSE(Reachable(health, "cloud"));
  clock.now += 1ms;
  EXPECT_TRUE(Reachable(health, "cloud"));  // half-open: tried again
  health.RecordSuccess("cloud", 120ms);
  health.RecordFailure("cloud");
  EXPECT_TRUE(Reachable(health, "cloud"));  // closed again: one failure is not enough
}

TEST(LaneHealthTest, AFailedTrialReopensForTwiceAsLongUpToTheMaximum) {
  FakeClock clock;
  LaneHealth health({1, 1000ms, 3000ms}, clock.Fn());
  health.RecordFailure("x");
  clock.now += 1000ms;
  ASSERT_TRUE(Reachable(health, "x"));
  health.RecordFailure("x");  // the trial failed
  clock.now += 1999ms;
  EXPECT_FALSE(Reachable(health, "x"));
  clock.now += 1ms;
  ASSERT_TRUE(Reachable(health, "x"));
  health.RecordFailure("x");
  clock.now += 2999ms;
  EXPECT_FALSE(Reachable(health, "x"));  // capped at 3000 ms, not 4000
  clock.now += 1ms;
  EXPECT_TRUE(Reachable(health, "x"));
}

TEST(LaneHealthTest, FailuresWhileOpenDoNotExtendIt) {
  FakeClock clock;
  LaneHealth health({1, 1000ms, 60000ms}, clock.Fn());
  health.RecordFailure("x");
  clock.now += 500ms;
  health.RecordFailure("x");  // a request that started before the breaker opened
  clock.now += 500ms;
  EXPECT_TRUE(Reachable(health, "x"));
}

TEST(LaneHealthTest, ZeroFailuresToOpenSwitchesTheBreakerOff) {
  LaneHealth health({0, 1000ms, 1000ms});
  for (int i = 0; i < 10; ++i) health.RecordFailure("x");
  EXPECT_TRUE(Reachable(health, "x"));
}

TEST(LaneHealthTest, LatencyIsAMovingAverageOfSuccesses) {
  LaneHealth health;
  health.RecordSuccess("x", 100ms);
  EXPECT_DOUBLE_EQ(health.Snapshot().at("x").p50_latency_ms, 100.0);
  health.RecordSuccess("x", 200ms);
  EXPECT_DOUBLE_EQ(health.Snapshot().at("x").p50_latency_ms, 120.0);
}

}  // namespace
}  // namespace lanewise::lanes
