#include "audit/review_summary.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <cmath>
#include <ctime>

namespace lanewise::audit {
namespace {

std::string Str(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

double Num(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_number() ? v->to_number<double>() : 0.0;
}

std::string Day(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

std::vector<LabelledValue> Sorted(const std::map<std::string, double>& counts) {
  std::vector<LabelledValue> out;
  for (const auto& [label, value] : counts) out.push_back({label, value});
  std::stable_sort(out.begin(), out.end(), [](const LabelledValue& a, const LabelledValue& b) {
    return a.value > b.value;
  });
  return out;
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  // Nearest rank.
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::min(values.size(), std::max<std::size_t>(rank, 1)) - 1];
}

}  // namespace

bool IsFailClosedOutcome(std::string_view outcome) {
  return outcome == "no_route" || outcome == "all_allowed_lanes_down" ||
         outcome == "audit_unavailable" || outcome.substr(0, 10) == "redaction_";
}

ReviewSummary Summarize(const boost::json::array& records, std::int64_t since_ms,
                        std::int64_t until_ms) {
  ReviewSummary s;
  s.since_ms = since_ms;
  s.until_ms = until_ms;
  std::map<std::string, double> routes, refusals, fallbacks, escalations, bytes, redacted;
  std::map<std::string, DayRoutes> days;
  std::map<std::string, std::vector<double>> durations;
  std::map<std::string, PolicyVersionSpan> versions;
  std::map<std::string, bool> lanes;
  for (const auto& value : records) {
    if (!value.is_object()) continue;
    const auto& r = value.as_object();
    ++s.decisions;
    const bool complete =
        r.if_contains("complete") && r.at("complete").is_bool() && r.at("complete").get_bool();
    if (complete) {
      ++s.complete;
    } else {
      ++s.incomplete;
    }
    const auto time = static_cast<std::int64_t>(Num(r, "time_ms"));
    std::string effective;
    if (const auto* c = r.if_contains("class"); c && c->is_object()) {
      effective = Str(c->as_object(), "effective");
    }
    std::string served = Str(r, "served_by");
    if (served.empty()) served = "none";
    const std::string outcome = Str(r, "outcome");
    routes[effective + " \xe2\x86\x92 " + served] += 1;
    DayRoutes& day = days[Day(time)];
    day.day = Day(time);
    day.by_lane[served] += 1;
    lanes[served] = true;
    if (IsFailClosedOutcome(outcome)) refusals[outcome] += 1;
    if (served != "none") durations[served].push_back(Num(r, "duration_ms"));

    PolicyVersionSpan& v = versions[Str(r, "policy_version")];
    if (v.decisions == 0 || time < v.first_ms) v.first_ms = time;
    v.last_ms = std::max(v.last_ms, time);
    v.version = Str(r, "policy_version");
    ++v.decisions;

    if (const auto* a = r.if_contains("attempts"); a && a->is_array()) {
      std::string previous_outcome;
      for (const auto& item : a->as_array()) {
        if (!item.is_object()) continue;
        const auto& at = item.as_object();
        const std::string role = Str(at, "role");
        if (role == "fallback") fallbacks[previous_outcome] += 1;
        if (role == "escalation") escalations[previous_outcome] += 1;
        previous_outcome = Str(at, "outcome");
        const double sent = Num(at, "bytes_sent");
        if (sent <= 0) continue;
        s.cost_usd += Num(at, "estimated_cost_usd");
        const std::string kind = Str(at, "lane_kind");
        if (kind != "local") bytes[Str(at, "lane") + " (" + kind + ")"] += sent;
        if (const auto* red = at.if_contains("redacted"); red && red->is_object()) {
          for (const auto& [type, n] : red->as_object()) {
            if (n.is_number()) redacted[type] += n.to_number<double>();
          }
        }
      }
    }
    if (served != "none") {
      const double strong = Num(r, "strong_cost_usd");
      const double estimated = Num(r, "estimated_cost_usd");
      s.strong_cost_usd += strong;
      if (strong > estimated) s.cost_avoided_usd += strong - estimated;
    }
  }
  s.routes = Sorted(routes);
  s.refusals = Sorted(refusals);
  s.fallbacks = Sorted(fallbacks);
  s.escalations = Sorted(escalations);
  s.boundary_bytes = Sorted(bytes);
  s.redacted = Sorted(redacted);
  for (auto& [day, routes_of_day] : days) s.days.push_back(std::move(routes_of_day));
  for (const auto& [lane, unused] : lanes) s.lanes.push_back(lane);
  for (auto& [lane, values] : durations) {
    LaneLatency l;
    l.lane = lane;
    l.requests = static_cast<int>(values.size());
    l.p50_ms = Percentile(values, 0.50);
    l.p90_ms = Percentile(values, 0.90);
    l.p99_ms = Percentile(values, 0.99);
    s.latency.push_back(l);
  }
  for (auto& [version, span] : versions) s.versions.push_back(span);
  std::sort(s.versions.begin(), s.versions.end(),
            [](const auto& a, const auto& b) { return a.first_ms < b.first_ms; });
  return s;
}

}  // namespace lanewise::audit
