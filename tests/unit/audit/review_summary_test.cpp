#include "audit/review_summary.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace lanewise::audit {
namespace {

// Three decisions on 2025-12-01 and 2025-12-02 (UTC): a redacted cloud answer after a
// local failure, a local answer, a refusal; and one incomplete record.
constexpr const char* kRecords = R"([
 {"decision_id":"a","time_ms":1764547200000,"policy_version":"v1","class":{"effective":"confidential"},
  "served_by":"cloud","outcome":"ok","complete":true,"duration_ms":120,
  "estimated_cost_usd":0.002,"strong_cost_usd":0.002,
  "attempts":[{"lane":"local","lane_kind":"local","role":"primary","outcome":"lane_timeout","bytes_sent":100,"estimated_cost_usd":0},
              {"lane":"cloud","lane_kind":"managed","role":"fallback","outcome":"ok","bytes_sent":300,"estimated_cost_usd":0.002,"redacted":{"PERSON":2,"EMAIL_ADDRESS":1}}]},
 {"decision_id":"b","time_ms":1764550800000,"policy_version":"v1","class":{"effective":"public"},
  "served_by":"local","outcome":"ok","complete":true,"duration_ms":40,
  "estimated_cost_usd":0.0001,"strong_cost_usd":0.01,
  "attempts":[{"lane":"local","lane_kind":"local","role":"primary","outcome":"ok","bytes_sent":80,"estimated_cost_usd":0.0001}]},
 {"decision_id":"c","time_ms":1764640800000,"policy_version":"v2","class":{"effective":"restricted"},
  "served_by":"","outcome":"no_route","complete":true,"duration_ms":1,"attempts":[]},
 {"decision_id":"d","time_ms":1764644400000,"policy_version":"v2","class":{"effective":"public"},
  "outcome":"incomplete","complete":false}
])";

TEST(ReviewSummaryTest, CountsRoutesRefusalsFallbacksBytesAndCost) {
  const auto records = boost::json::parse(kRecords).as_array();
  const ReviewSummary s = Summarize(records, 0, 1);
  EXPECT_EQ(s.decisions, 4);
  EXPECT_EQ(s.incomplete, 1);
  ASSERT_EQ(s.days.size(), 2u);
  EXPECT_EQ(s.days[0].day, "2025-12-01");
  EXPECT_EQ(s.days[0].by_lane.at("cloud"), 1);
  EXPECT_EQ(s.days[0].by_lane.at("local"), 1);
  EXPECT_EQ(s.days[1].by_lane.at("none"), 2);
  ASSERT_EQ(s.refusals.size(), 1u);
  EXPECT_EQ(s.refusals[0].label, "no_route");
  ASSERT_EQ(s.fallbacks.size(), 1u);
  EXPECT_EQ(s.fallbacks[0].label, "lane_timeout");
  ASSERT_EQ(s.boundary_bytes.size(), 1u);  // the local lane's bytes did not cross
  EXPECT_EQ(s.boundary_bytes[0].label, "cloud (managed)");
  EXPECT_EQ(s.boundary_bytes[0].value, 300);
  ASSERT_EQ(s.redacted.size(), 2u);
  EXPECT_EQ(s.redacted[0].label, "PERSON");
  EXPECT_EQ(s.redacted[0].value, 2);
  EXPECT_NEAR(s.cost_usd, 0.0021, 1e-12);
  EXPECT_NEAR(s.cost_avoided_usd, 0.0099, 1e-12);
  ASSERT_EQ(s.versions.size(), 2u);
  EXPECT_EQ(s.versions[0].version, "v1");
  EXPECT_EQ(s.versions[0].decisions, 2);
  ASSERT_EQ(s.latency.size(), 2u);
  EXPECT_EQ(s.latency[0].lane, "cloud");
  EXPECT_EQ(s.latency[0].p50_ms, 120);
}

}  // namespace
}  // namespace lanewise::audit
