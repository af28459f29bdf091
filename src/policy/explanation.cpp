#include "policy/explanation.h"

#include <boost/json/array.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "config/policy.h"

namespace lanewise::policy {
namespace {

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

// RFC 3339 UTC with milliseconds.
std::string FormatTime(std::chrono::system_clock::time_point t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buffer;
}

// A predicted time, or null when unknown (-1).
boost::json::value Millis(double ms) {
  if (ms < 0) return nullptr;
  return ms;
}

}  // namespace

boost::json::object ToJson(const core::RouteDecision& d) {
  boost::json::object out;
  out["decision_id"] = d.decision_id;
  out["no_route"] = d.no_route;
  boost::json::array plan;
  for (const core::PlannedAttempt& a : d.plan) {
    plan.emplace_back(boost::json::object{{"lane", a.lane},
                                          {"model", a.upstream_model},
                                          {"role", a.role},
                                          {"redact", a.redact},
                                          {"estimated_cost_usd", a.estimated_cost_usd},
                                          {"verify", a.verify},
                                          {"predicted_ttft_ms", Millis(a.predicted_ttft_ms)},
                                          {"predicted_total_ms", Millis(a.predicted_total_ms)}});
  }
  out["plan"] = std::move(plan);
  out["reasons"] = Strings(d.reasons);
  out["data_class"] = d.data_class;
  out["policy_version"] = d.policy_version;
  out["redaction_required"] = d.redaction_required;
  out["evidence_required"] = d.evidence_required;
  out["created_at"] = FormatTime(d.created_at);
  out["difficulty"] = d.difficulty;
  if (!d.objective.empty()) out["objective"] = d.objective;
  if (d.difficulty_threshold >= 0) out["difficulty_threshold"] = d.difficulty_threshold;
  out["estimated_cost_usd"] = d.estimated_cost_usd;
  out["strong_cost_usd"] = d.strong_cost_usd;
  if (d.deadline_ms > 0) out["deadline_ms"] = d.deadline_ms;
  if (d.cascade.has_value()) {
    const core::CascadeSettings& c = *d.cascade;
    out["cascade"] = boost::json::object{{"threshold", c.threshold},
                                         {"escalate_on_refusal", c.escalate_on_refusal},
                                         {"escalate_on_truncation", c.escalate_on_truncation},
                                         {"escalate_unscored", c.escalate_unscored},
                                         {"stream_buffer_bytes", c.stream_buffer_bytes}};
  }
  return out;
}

boost::json::object ToJson(const Explanation& e) {
  boost::json::object out;
  const ClassVerdict& c = e.data_class;
  boost::json::array evidence;
  for (const ClassEvidence& ev : c.evidence) {
    evidence.emplace_back(boost::json::object{
        {"source", ev.source}, {"class", ev.class_name}, {"detail", ev.detail}});
  }
  out["class"] = boost::json::object{
      {"detected", c.detected},
      {"declared", c.declared},
      {"effective", c.effective},
      {"declared_unknown", c.declared_unknown},
      {"declared_raised", c.declared_raised},
      {"declared_lowered", c.declared_lowered},
      {"declared_lower_ignored", c.declared_lower_ignored},
      {"tenant_floor_applied", c.tenant_floor_applied},
      {"session_floor_applied", c.session_floor_applied},
      {"evidence", std::move(evidence)},
  };
  boost::json::array rules;
  for (const RuleTrace& r : e.rules) {
    boost::json::object rule{{"name", r.name}, {"outcome", r.outcome}};
    if (!r.why_not.empty()) rule["why_not"] = r.why_not;
    if (!r.forbidden_lanes.empty()) rule["forbidden_lanes"] = Strings(r.forbidden_lanes);
    if (!r.down_lanes.empty()) rule["down_lanes"] = Strings(r.down_lanes);
    rules.emplace_back(std::move(rule));
  }
  out["rules"] = std::move(rules);
  out["route_source"] = e.route_source;
  boost::json::array lanes;
  for (const LaneVerdict& l : e.lanes) {
    lanes.emplace_back(boost::json::object{{"name", l.name},
                                           {"kind", l.kind},
                                           {"access", l.access},
                                           {"reachable", l.reachable},
                                           {"in_plan", l.in_plan}});
  }
  out["lanes"] = std::move(lanes);
  const CapabilityVerdict& cap = e.capability;
  if (cap.applied) {
    out["capability"] = boost::json::object{
        {"difficulty", cap.difficulty},
        {"objective", cap.objective},
        {"objective_source", cap.objective_source},
        {"requested_objective", cap.requested_objective},
        {"strong_share", cap.strong_share},
        {"threshold", cap.threshold},
        {"choice", cap.choice},
        {"why", cap.why},
    };
  }
  boost::json::array candidates;
  for (const CandidateVerdict& candidate : e.candidates) {
    boost::json::object entry{{"lane", candidate.lane},
                              {"role", candidate.role},
                              {"estimated_cost_usd", candidate.estimated_cost_usd},
                              {"outcome", candidate.outcome},
                              {"why", candidate.why}};
    // null until the lane's latency model has learned from a few streamed answers
    entry["predicted_ttft_ms"] = Millis(candidate.predicted_ttft_ms);
    entry["predicted_total_ms"] = Millis(candidate.predicted_total_ms);
    entry["predicted_queue_ms"] = candidate.predicted_queue_ms;
    candidates.emplace_back(std::move(entry));
  }
  out["candidates"] = std::move(candidates);
  return out;
}

boost::json::object FactsToJson(const core::Facts& f) {
  boost::json::object counts;
  for (const auto& [type, count] : f.entity_counts) counts[type] = count;
  // Types seen only in the entity list (offsets and values are never included).
  for (const core::Entity& entity : f.entities) {
    if (f.entity_counts.count(entity.type) == 0) {
      auto* existing = counts.if_contains(entity.type);
      counts[entity.type] = existing == nullptr ? 1 : existing->as_int64() + 1;
    }
  }
  return boost::json::object{
      {"entity_counts", std::move(counts)},
      {"sensitivity_score", f.sensitivity_score},
      {"max_entity_sensitivity", f.max_entity_sensitivity},
      {"estimated_input_tokens", f.estimated_input_tokens},
      {"needs_tools", f.needs_tools},
      {"needs_vision", f.needs_vision},
      {"difficulty", f.difficulty},
      {"objective", f.objective},
      {"max_output_tokens", f.max_output_tokens},
      {"model", f.model_alias},
      {"declared_data_class", f.declared_data_class},
      {"latency_tier", std::string(config::LatencyTierName(f.latency_tier))},
      {"tenant", f.tenant},
  };
}

}  // namespace lanewise::policy
