// The latency model: rtt, prefill and decode recovered from answers of a lane with known
// speeds; queued answers kept out of the fit; the window bounded; LaneHealth's in-flight
// count and snapshot.
#include "lanes/latency_model.h"

#include <gtest/gtest.h>

#include "lanes/lane_health.h"

namespace lanewise::lanes {
namespace {

// A lane with rtt 40 ms, prefill 0.5 ms/token, decode 20 ms/token.
LatencySample Answer(double prompt, double output, bool queued = false, double queue_ms = 0) {
  LatencySample s;
  s.prompt_tokens = prompt;
  s.output_tokens = output;
  s.ttft_ms = 40 + 0.5 * prompt + queue_ms;
  s.total_ms = s.ttft_ms + 20 * output;
  s.queued = queued;
  return s;
}

TEST(LatencyModelTest, RecoversTheLanesSpeeds) {
  LatencyModel model;
  EXPECT_EQ(model.Estimate().samples, 0);
  for (int i = 0; i < 20; ++i) model.Add(Answer(100 + 50 * (i % 7), 10 + i % 5));
  const core::LaneLatencyEstimate e = model.Estimate();
  EXPECT_EQ(e.samples, 20);
  EXPECT_NEAR(e.rtt_ms, 40, 1e-6);
  EXPECT_NEAR(e.prefill_ms_per_token, 0.5, 1e-9);
  EXPECT_NEAR(e.decode_ms_per_token, 20, 1e-9);
  EXPECT_GT(e.service_ms, 40);
}

TEST(LatencyModelTest, QueuedAnswersDoNotSkewPrefill) {
  LatencyModel model;
  for (int i = 0; i < 10; ++i) model.Add(Answer(100 + 100 * (i % 3), 10));
  for (int i = 0; i < 10; ++i) model.Add(Answer(100, 10, /*queued=*/true, /*queue_ms=*/900));
  const core::LaneLatencyEstimate e = model.Estimate();
  EXPECT_EQ(e.samples, 10);
  EXPECT_NEAR(e.rtt_ms, 40, 1e-6);
  EXPECT_NEAR(e.prefill_ms_per_token, 0.5, 1e-9);
  EXPECT_NEAR(e.service_ms, 40 + 0.5 * 190 + 200, 1e-6);  // unqueued answers only (mean prompt 190)
}

TEST(LatencyModelTest, OnePromptSizeMeansNoSlopeAndWholeAnswersOnlyServiceTime) {
  LatencyModel model;
  for (int i = 0; i < 5; ++i) model.Add(Answer(300, 10));
  EXPECT_DOUBLE_EQ(model.Estimate().prefill_ms_per_token, 0.0);
  EXPECT_NEAR(model.Estimate().rtt_ms, 190, 1e-9);  // all of it in the intercept
  LatencyModel whole;
  LatencySample s = Answer(300, 10);
  s.ttft_ms = -1;
  whole.Add(s);
  EXPECT_EQ(whole.Estimate().samples, 0);
  EXPECT_NEAR(whole.Estimate().service_ms, s.total_ms, 1e-9);
}

TEST(LatencyModelTest, TheWindowIsBounded) {
  LatencyModel model;
  for (std::size_t i = 0; i < LatencyModel::kWindow; ++i) model.Add(Answer(100 + i % 9, 10));
  // The lane got faster: the old answers age out.
  for (std::size_t i = 0; i < LatencyModel::kWindow; ++i) {
    LatencySample s = Answer(100 + i % 9, 10);
    s.total_ms = s.ttft_ms + 5 * 10;
    model.Add(s);
  }
  EXPECT_NEAR(model.Estimate().decode_ms_per_token, 5, 1e-9);
  EXPECT_EQ(model.Estimate().samples, static_cast<int>(LatencyModel::kWindow));
}

TEST(LatencyModelTest, LaneHealthCountsCallsInFlightAndSnapshotsTheModel) {
  LaneHealth health;
  EXPECT_EQ(health.BeginCall("local"), 0);
  EXPECT_EQ(health.BeginCall("local"), 1);
  EXPECT_EQ(health.Snapshot().at("local").latency.in_flight, 2);
  health.EndCall("local");
  health.EndCall("local");
  health.EndCall("local");  // never below zero
  EXPECT_EQ(health.Snapshot().at("local").latency.in_flight, 0);
  for (int i = 0; i < 4; ++i) health.RecordTiming("local", Answer(100 * (i + 1), 10));
  const core::LaneState state = health.Snapshot().at("local");
  EXPECT_TRUE(state.reachable);
  EXPECT_EQ(state.latency.samples, 4);
  EXPECT_NEAR(state.latency.prefill_ms_per_token, 0.5, 1e-9);
}

}  // namespace
}  // namespace lanewise::lanes
