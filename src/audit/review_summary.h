// ReviewSummary: the weekly review's figures (seed 002), computed from decision records
// (audit_query.h) alone. Pure: no I/O; rendered by app/review_report.h.
#pragma once

#include <boost/json/array.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lanewise::audit {

struct LabelledValue {
  std::string label;
  double value = 0;
};

struct DayRoutes {
  std::string day;                     // YYYY-MM-DD (UTC)
  std::map<std::string, int> by_lane;  // serving lane ("none" when refused or failed)
};

struct LaneLatency {
  std::string lane;
  int requests = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0;
};

struct PolicyVersionSpan {
  std::string version;
  std::int64_t first_ms = 0, last_ms = 0;
  int decisions = 0;
};

struct ReviewSummary {
  std::int64_t since_ms = 0, until_ms = 0;
  int decisions = 0, complete = 0, incomplete = 0;
  std::vector<LabelledValue> routes;          // "class → lane", decisions
  std::vector<DayRoutes> days;                // ascending
  std::vector<std::string> lanes;             // every serving lane seen, sorted
  std::vector<LabelledValue> refusals;        // fail-closed, by reason
  std::vector<LabelledValue> fallbacks;       // by the failed attempt's reason
  std::vector<LabelledValue> escalations;     // by the previous attempt's outcome
  std::vector<LabelledValue> boundary_bytes;  // "lane (kind)" for non-local lanes, bytes
  std::vector<LabelledValue> redacted;        // by entity type
  double cost_usd = 0;                        // estimated, attempts actually sent
  double strong_cost_usd = 0;        // what the strong lane would have cost, served decisions
  double cost_avoided_usd = 0;       // strong - estimated where positive
  std::vector<LaneLatency> latency;  // per serving lane, total request time
  std::vector<PolicyVersionSpan> versions;
};

ReviewSummary Summarize(const boost::json::array& records, std::int64_t since_ms,
                        std::int64_t until_ms);

// True for the outcomes that mean "refused rather than sent where the policy forbids".
bool IsFailClosedOutcome(std::string_view outcome);

}  // namespace lanewise::audit
