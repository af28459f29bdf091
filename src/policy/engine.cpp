#include "policy/engine.h"

#include <algorithm>

#include <cstdio>

#include "core/ids.h"
#include "policy/capability_route.h"
#include "policy/class_resolver.h"
#include "policy/cost_estimate.h"
#include "policy/latency_estimate.h"
#include "policy/plan_order.h"
#include "policy/rule_matcher.h"

namespace lanewise::policy {
namespace {

using config::Config;
using config::DataClass;
using config::LaneAccess;
using config::LaneConfig;

bool Reachable(const core::LaneStates& lanes, const std::string& name) {
  auto it = lanes.find(name);
  return it == lanes.end() || it->second.reachable;
}

LatencyPrediction PredictFor(const core::LaneStates& lanes, const LaneConfig& lane,
                             const core::Facts& facts) {
  auto it = lanes.find(lane.name);
  if (it == lanes.end()) return {};
  return PredictLatency(it->second.latency, lane.slots, facts);
}

// The model a lane is sent: the step's explicit model, else the lane's model for the
// requested alias, else the lane's first model.
std::string UpstreamFor(const LaneConfig& lane, const std::string& explicit_model,
                        const std::string& alias) {
  if (!explicit_model.empty()) return explicit_model;
  for (const config::ModelRoute& m : lane.models) {
    if (m.alias == alias) return m.upstream_model;
  }
  return lane.models.empty() ? std::string() : lane.models.front().upstream_model;
}

LaneAccess AccessFor(const DataClass* cls, std::size_t lane_index) {
  if (cls == nullptr) return LaneAccess::kAllowed;  // no policy: every lane, as is
  return lane_index < cls->access.size() ? cls->access[lane_index] : LaneAccess::kForbidden;
}

// A route's steps after the class (forbidden lanes dropped) and health (down lanes
// dropped). The class check is here, once, for every attempt of every plan.
struct FilteredRoute {
  std::vector<core::PlannedAttempt> attempts;
  std::vector<std::string> forbidden;
  std::vector<std::string> down;
  std::vector<std::string> over_cost_cap;
};

// Capacity: an attempt on a lane whose capacity says `when_full: degrade` is followed by
// its smaller model lane (role "degrade"), when the class allows that lane, it is up and
// not already in the plan. The executor goes there only when the full lane turns it away
// (or fails).
void AddDegradeLanes(const DataClass* cls, const Config& config, const core::LaneStates& lanes,
                     const core::Facts& facts, FilteredRoute& route) {
  std::vector<core::PlannedAttempt> out;
  auto planned = [&](const std::string& name) {
    auto same = [&](const core::PlannedAttempt& a) { return a.lane == name; };
    return std::any_of(route.attempts.begin(), route.attempts.end(), same) ||
           std::any_of(out.begin(), out.end(), same);
  };
  for (core::PlannedAttempt& attempt : route.attempts) {
    const LaneConfig& lane = config.lanes[*config.LaneIndex(attempt.lane)];
    out.push_back(std::move(attempt));
    if (lane.capacity.when_full != config::WhenFull::kDegrade) continue;
    const std::size_t index = lane.capacity.degrade_index;
    const LaneConfig& smaller = config.lanes[index];
    const LaneAccess access = AccessFor(cls, index);
    if (access == LaneAccess::kForbidden || !Reachable(lanes, smaller.name) ||
        planned(smaller.name)) {
      continue;
    }
    core::PlannedAttempt degrade;
    degrade.lane = smaller.name;
    degrade.upstream_model = UpstreamFor(smaller, "", facts.model_alias);
    degrade.role = "degrade";
    degrade.redact = access == LaneAccess::kAllowedWithRedaction;
    degrade.estimated_cost_usd = EstimateCostUsd(smaller.price, facts);
    const LatencyPrediction predicted = PredictFor(lanes, smaller, facts);
    if (predicted.known) {
      degrade.predicted_ttft_ms = predicted.ttft_ms;
      degrade.predicted_total_ms = predicted.total_ms;
    }
    out.push_back(std::move(degrade));
  }
  route.attempts = std::move(out);
}

FilteredRoute Filter(const std::vector<config::RouteStep>& steps, const DataClass* cls,
                     const Config& config, const core::LaneStates& lanes,
                     const core::Facts& facts) {
  const std::string& alias = facts.model_alias;
  FilteredRoute out;
  for (const config::RouteStep& step : steps) {
    const LaneConfig& lane = config.lanes[step.lane_index];
    const LaneAccess access = AccessFor(cls, step.lane_index);
    if (access == LaneAccess::kForbidden) {
      out.forbidden.push_back(lane.name);
      continue;
    }
    if (!Reachable(lanes, lane.name)) {
      out.down.push_back(lane.name);
      continue;
    }
    core::PlannedAttempt attempt;
    attempt.lane = lane.name;
    attempt.upstream_model = UpstreamFor(lane, step.model, alias);
    attempt.role = out.attempts.empty() ? "primary" : "fallback";
    attempt.redact = access == LaneAccess::kAllowedWithRedaction;
    attempt.estimated_cost_usd = EstimateCostUsd(lane.price, facts);
    const LatencyPrediction predicted = PredictFor(lanes, lane, facts);
    if (predicted.known) {
      attempt.predicted_ttft_ms = predicted.ttft_ms;
      attempt.predicted_total_ms = predicted.total_ms;
    }
    out.attempts.push_back(std::move(attempt));
  }
  AddDegradeLanes(cls, config, lanes, facts, out);
  return out;
}

// A rule's max_cost_usd: attempts estimated above it are dropped.
void ApplyCostCap(const std::optional<double>& max_cost_usd, FilteredRoute& route) {
  if (!max_cost_usd.has_value()) return;
  std::vector<core::PlannedAttempt> kept;
  for (core::PlannedAttempt& a : route.attempts) {
    if (a.estimated_cost_usd > *max_cost_usd) {
      route.over_cost_cap.push_back(a.lane);
    } else {
      if (a.role != "degrade") a.role = kept.empty() ? "primary" : "fallback";
      kept.push_back(std::move(a));
    }
  }
  route.attempts = std::move(kept);
}

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

// A route's steps in the order this request tries them: as written, or for a capability
// route the lane its difficulty chose first. `ordered` holds a reordered copy.
const std::vector<config::RouteStep>& StepsToTry(const config::RouteTarget& route,
                                                 const config::Policy& policy,
                                                 const core::Facts& facts,
                                                 std::optional<CapabilityChoice>& choice,
                                                 std::vector<config::RouteStep>& ordered) {
  choice.reset();
  if (!route.capability.has_value()) return route.steps;
  choice = ChooseCapability(*route.capability, policy.difficulty_calibration, facts);
  ordered = CapabilityOrder(route, choice->strong);
  return ordered;
}

// Difficulty, objective, costs and their reason codes, once the winning route is known.
void RecordCapabilityAndCost(const config::RouteTarget* route,
                             const std::optional<CapabilityChoice>& choice, const Config& config,
                             const core::Facts& facts, core::RouteDecision* d) {
  d->difficulty = facts.difficulty;
  if (d->plan.empty()) return;
  d->estimated_cost_usd = d->plan.front().estimated_cost_usd;
  d->strong_cost_usd = d->estimated_cost_usd;
  if (route == nullptr || !choice.has_value() || route->steps.size() < 2) return;
  const config::RouteStep& strong = route->steps[1];
  d->strong_cost_usd = EstimateCostUsd(config.lanes[strong.lane_index].price, facts);
  d->objective = choice->objective.empty() ? "strong_share" : choice->objective;
  d->difficulty_threshold = choice->threshold;
  d->reasons.push_back(choice->strong ? "capability_strong" : "capability_weak");
  if (choice->unscored) d->reasons.push_back("difficulty_unscored");
  if (choice->request_objective_unknown) d->reasons.push_back("objective_unknown_ignored");
  if (choice->strong && d->plan.front().lane != strong.lane) {
    d->reasons.push_back("strong_lane_unavailable");
  }
}

// A cascade route whose first lane leads the plan, with an attempt after it: the first
// attempt is judged and the next one becomes its escalation. The class and health checks
// have already shaped the plan, so an escalation can only go where a fallback could.
void RecordCascade(const config::RouteTarget* route, const Config& config, const core::Facts& facts,
                   core::RouteDecision* d) {
  if (route == nullptr || !route->cascade.has_value() || d->plan.empty()) return;
  const config::RouteStep& first = route->steps[0];
  const std::string first_model =
      UpstreamFor(config.lanes[first.lane_index], first.model, facts.model_alias);
  if (d->plan.front().lane != first.lane || d->plan.front().upstream_model != first_model) {
    d->reasons.push_back("cascade_first_unavailable");
    return;
  }
  if (d->plan.size() < 2) {
    // The class forbids (or health removed) every lane to escalate to: the first lane's
    // answer is served as it is.
    d->reasons.push_back("cascade_no_escalation");
    return;
  }
  // A cascade escalates to a stronger lane, not to a full lane's smaller one.
  while (d->plan.size() >= 2 && d->plan[1].role == "degrade") d->plan.erase(d->plan.begin() + 1);
  if (d->plan.size() < 2) {
    d->reasons.push_back("cascade_no_escalation");
    return;
  }
  d->plan[0].verify = true;
  d->plan[1].role = "escalation";
  d->cascade = *route->cascade;
  d->strong_cost_usd = d->plan[1].estimated_cost_usd;
  d->reasons.push_back("cascade");
}

// explain: the winning route's candidates, each with its cost and why it won or lost.
void ExplainCandidates(const config::RouteTarget& route,
                       const std::vector<config::RouteStep>& tried,
                       const std::optional<CapabilityChoice>& choice, const FilteredRoute& filtered,
                       const std::optional<double>& max_cost_usd, const Config& config,
                       const core::LaneStates& lanes, const core::Facts& facts,
                       const core::RouteDecision& d, Explanation* e) {
  auto contains = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  std::string comparison;
  if (choice.has_value()) {
    CapabilityVerdict& v = e->capability;
    v.applied = true;
    v.difficulty = facts.difficulty;
    v.objective = choice->objective;
    v.objective_source = choice->objective_source;
    v.requested_objective = facts.objective;
    v.strong_share = choice->strong_share;
    v.threshold = choice->threshold;
    v.choice = choice->strong ? "strong" : "weak";
    comparison = choice->unscored ? "the request has no difficulty score"
                                  : "difficulty " + FormatNumber(facts.difficulty) +
                                        (choice->strong ? " >= " : " < ") + "threshold " +
                                        FormatNumber(choice->threshold);
    v.why = comparison;
  }
  for (std::size_t i = 0; i < tried.size(); ++i) {
    const config::RouteStep& step = tried[i];
    const LaneConfig& lane = config.lanes[step.lane_index];
    CandidateVerdict c;
    c.lane = lane.name;
    const bool is_weak = choice.has_value() && step.lane == route.steps[0].lane &&
                         step.model == route.steps[0].model;
    const bool is_strong = choice.has_value() && step.lane == route.steps[1].lane &&
                           step.model == route.steps[1].model;
    const bool cascade = route.cascade.has_value() && route.steps.size() >= 2;
    const bool is_first = cascade && i == 0;
    const bool is_then = cascade && i == 1;
    c.role = is_weak     ? "weak"
             : is_strong ? "strong"
             : is_first  ? "first"
             : is_then   ? "then"
             : i == 0    ? "target"
                         : "fallback";
    c.estimated_cost_usd = EstimateCostUsd(lane.price, facts);
    const LatencyPrediction predicted = PredictFor(lanes, lane, facts);
    if (predicted.known) {
      c.predicted_ttft_ms = predicted.ttft_ms;
      c.predicted_total_ms = predicted.total_ms;
      c.predicted_queue_ms = predicted.queue_ms;
    }
    if (contains(filtered.forbidden, lane.name)) {
      c.outcome = "forbidden";
      c.why = "class " + d.data_class + " forbids this lane";
    } else if (contains(filtered.down, lane.name)) {
      c.outcome = "down";
      c.why = "the lane is down";
    } else if (contains(filtered.over_cost_cap, lane.name)) {
      c.outcome = "over_cost_cap";
      c.why = "estimated $" + FormatNumber(c.estimated_cost_usd) + " > max_cost_usd $" +
              FormatNumber(max_cost_usd.value_or(0));
    } else if (!d.plan.empty() && d.plan.front().lane == lane.name) {
      c.outcome = "chosen";
      c.why = (is_weak || is_strong) && i == 0 ? comparison : "first usable step of the route";
      if (is_first && d.cascade.has_value()) {
        c.why = "served first; its answer is kept when confidence >= " +
                FormatNumber(d.cascade->threshold) + ", else the request escalates";
      }
    } else if (d.cascade.has_value() && d.plan.size() >= 2 && d.plan[1].lane == lane.name) {
      c.outcome = "escalation";
      c.why = "tried when the first lane's answer has confidence < " +
              FormatNumber(d.cascade->threshold) + ", refuses or is cut short, or fails";
    } else {
      c.outcome = "fallback";
      c.why = (is_weak || is_strong) && i == 1 ? comparison + ": the other lane leads"
                                               : "tried if the steps before it fail";
    }
    e->candidates.push_back(std::move(c));
  }
}

// The lanes serving `alias`, in config order, as route steps.
std::vector<config::RouteStep> AliasSteps(const Config& config, const std::string& alias) {
  std::vector<config::RouteStep> steps;
  for (std::size_t i = 0; i < config.lanes.size(); ++i) {
    for (const config::ModelRoute& m : config.lanes[i].models) {
      if (m.alias == alias) {
        steps.push_back({config.lanes[i].name, i, m.upstream_model});
        break;
      }
    }
  }
  return steps;
}

bool AliasKnown(const Config& config, const std::string& alias) {
  if (config.ResolveAlias(alias).has_value()) return true;
  if (!config.policy.has_value()) return false;
  const auto& virtuals = config.policy->virtual_aliases;
  return std::find(virtuals.begin(), virtuals.end(), alias) != virtuals.end();
}

void AddReason(core::RouteDecision* d, std::string code) {
  if (std::find(d->reasons.begin(), d->reasons.end(), code) == d->reasons.end()) {
    d->reasons.push_back(std::move(code));
  }
}

void FillLaneVerdicts(const Config& config, const core::LaneStates& lanes, const DataClass* cls,
                      bool class_known, const core::RouteDecision& d, Explanation* e) {
  e->lanes.clear();
  for (std::size_t i = 0; i < config.lanes.size(); ++i) {
    const LaneConfig& lane = config.lanes[i];
    LaneVerdict v;
    v.name = lane.name;
    v.kind = std::string(config::LaneKindName(lane.kind));
    const LaneAccess access = class_known ? AccessFor(cls, i) : LaneAccess::kForbidden;
    v.access = access == LaneAccess::kForbidden              ? "forbidden"
               : access == LaneAccess::kAllowedWithRedaction ? "redact"
                                                             : "allowed";
    v.reachable = Reachable(lanes, lane.name);
    v.in_plan = std::any_of(d.plan.begin(), d.plan.end(),
                            [&](const core::PlannedAttempt& a) { return a.lane == lane.name; });
    e->lanes.push_back(std::move(v));
  }
}

void FailClosed(core::RouteDecision* d, const char* why) {
  d->no_route = true;
  d->plan.clear();
  d->redaction_required = false;
  d->reasons.insert(d->reasons.begin(), why);
}

core::RouteDecision DecideWithoutPolicy(const core::Facts& facts, const Config& config,
                                        const core::LaneStates& lanes, core::RouteDecision d,
                                        bool explaining, Explanation* e) {
  d.data_class = "public";
  e->data_class.detected = "public";
  e->data_class.evidence.push_back({"default", "public", "no policy section"});
  if (!facts.declared_data_class.empty()) {
    e->data_class.declared = facts.declared_data_class;
    std::string declared = facts.declared_data_class;
    std::transform(declared.begin(), declared.end(), declared.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (declared != "public") {
      e->data_class.declared_unknown = true;
      d.data_class.clear();
      FailClosed(&d, reason::kUnknownDataClass);
      if (explaining) FillLaneVerdicts(config, lanes, nullptr, false, d, e);
      return d;
    }
  }
  e->data_class.effective = "public";
  d.reasons.push_back(reason::kNoPolicy);
  if (!AliasKnown(config, facts.model_alias)) {
    FailClosed(&d, reason::kUnknownModel);
  } else {
    FilteredRoute route =
        Filter(AliasSteps(config, facts.model_alias), nullptr, config, lanes, facts);
    d.plan = std::move(route.attempts);
    if (d.plan.empty()) {
      AddReason(&d, reason::kLaneDownSkipped);
      FailClosed(&d, reason::kAllowedLanesDown);
    } else {
      e->route_source = "alias";
      d.reasons.insert(d.reasons.begin(), reason::kAliasRoute);
      if (!route.down.empty()) AddReason(&d, reason::kLaneDownSkipped);
      RecordCapabilityAndCost(nullptr, std::nullopt, config, facts, &d);
    }
  }
  if (explaining) FillLaneVerdicts(config, lanes, nullptr, true, d, e);
  return d;
}

}  // namespace

core::RouteDecision Decide(const core::Facts& facts, const Config& config,
                           const core::LaneStates& lanes, const DecideContext& ctx) {
  return Decide(facts, config, lanes, ctx, nullptr);
}

namespace {

core::RouteDecision DecideExplained(const core::Facts& facts, const Config& config,
                                    const core::LaneStates& lanes, const DecideContext& ctx,
                                    bool explaining, Explanation* e) {
  core::RouteDecision d;
  d.decision_id = ctx.decision_id.empty() ? core::NewId("dec_") : ctx.decision_id;
  d.created_at = ctx.now == std::chrono::system_clock::time_point{}
                     ? std::chrono::system_clock::now()
                     : ctx.now;
  d.policy_version = config.version;
  if (!config.policy.has_value()) {
    return DecideWithoutPolicy(facts, config, lanes, std::move(d), explaining, e);
  }
  const config::Policy& policy = *config.policy;

  ResolvedClass resolved = ResolveClass(facts, policy, explaining);
  e->data_class = std::move(resolved.verdict);
  const DataClass* cls = resolved.data_class;
  if (cls == nullptr) {
    FailClosed(&d, reason::kUnknownDataClass);
    if (explaining) FillLaneVerdicts(config, lanes, nullptr, false, d, e);
    return d;
  }
  d.data_class = cls->name;
  d.evidence_required = cls->evidence_required;
  if (cls->LocalOnly()) d.reasons.push_back("class_" + cls->name + "_local_only");
  if (e->data_class.declared_raised) d.reasons.push_back(reason::kDeclaredClassRaised);
  if (e->data_class.declared_lowered) d.reasons.push_back(reason::kDeclaredClassLowered);
  if (e->data_class.declared_lower_ignored) {
    d.reasons.push_back(reason::kDeclaredClassLowerIgnored);
  }
  if (e->data_class.tenant_floor_applied) d.reasons.push_back(reason::kTenantClassFloor);
  if (e->data_class.session_floor_applied) d.reasons.push_back("session_class_floor");

  if (!AliasKnown(config, facts.model_alias)) {
    FailClosed(&d, reason::kUnknownModel);
    if (explaining) FillLaneVerdicts(config, lanes, cls, true, d, e);
    return d;
  }
  const std::vector<config::RouteStep> alias_steps = AliasSteps(config, facts.model_alias);
  if (!alias_steps.empty() &&
      std::none_of(alias_steps.begin(), alias_steps.end(),
                   [&](const config::RouteStep& s) { return cls->Allows(s.lane_index); })) {
    d.reasons.push_back(reason::kAliasNotAllowedForClass);
  }

  bool skipped_down = false;
  bool skipped_forbidden = false;
  bool saw_allowed = false;  // some candidate lane was allowed (maybe down)
  bool chosen = false;
  bool over_cost_cap = false;
  std::optional<CapabilityChoice> choice;
  std::vector<config::RouteStep> ordered;
  struct Winner {
    const config::RouteTarget* route = nullptr;
    std::vector<config::RouteStep> tried;
    std::optional<CapabilityChoice> choice;
    FilteredRoute filtered;
    std::optional<double> max_cost_usd;
  } winner;
  for (const config::Rule& rule : policy.rules) {
    RuleTrace trace;  // filled only for an explanation (the hot path skips the copies)
    if (explaining) trace.name = rule.name;
    if (chosen) {
      trace.outcome = "not_evaluated";
      if (explaining) e->rules.push_back(std::move(trace));
      continue;
    }
    if (!ConditionHolds(rule.when, facts, cls->rank, policy,
                        explaining ? &trace.why_not : nullptr)) {
      trace.outcome = "not_matched";
      if (explaining) e->rules.push_back(std::move(trace));
      continue;
    }
    const auto& tried = StepsToTry(rule.route, policy, facts, choice, ordered);
    FilteredRoute route = Filter(tried, cls, config, lanes, facts);
    ApplyCostCap(rule.max_cost_usd, route);
    if (explaining) {
      trace.forbidden_lanes = route.forbidden;
      trace.down_lanes = route.down;
    }
    saw_allowed = saw_allowed || !route.attempts.empty() || !route.down.empty() ||
                  !route.over_cost_cap.empty();
    skipped_down = skipped_down || !route.down.empty();
    over_cost_cap = over_cost_cap || !route.over_cost_cap.empty();
    if (route.attempts.empty()) {
      skipped_forbidden = skipped_forbidden || !route.forbidden.empty();
      trace.outcome = !route.over_cost_cap.empty() ? "over_cost_cap"
                      : route.down.empty()         ? "no_allowed_lane"
                                                   : "all_lanes_down";
    } else {
      skipped_forbidden = skipped_forbidden || !route.forbidden.empty();
      trace.outcome = "chosen";
      chosen = true;
      e->route_source = "rule:" + rule.name;
      winner.route = &rule.route;
      winner.choice = choice;
      winner.max_cost_usd = rule.max_cost_usd;
      if (explaining) {
        winner.tried = tried;
        winner.filtered = route;
      }
      d.plan = std::move(route.attempts);
    }
    if (explaining) e->rules.push_back(std::move(trace));
  }
  if (!chosen) {
    const bool use_default = policy.default_route.has_value();
    const config::RouteTarget alias_route{alias_steps, std::nullopt};
    const config::RouteTarget& fallback_route = use_default ? *policy.default_route : alias_route;
    const auto& tried = StepsToTry(fallback_route, policy, facts, choice, ordered);
    FilteredRoute route = Filter(tried, cls, config, lanes, facts);
    saw_allowed = saw_allowed || !route.attempts.empty() || !route.down.empty();
    skipped_down = skipped_down || !route.down.empty();
    skipped_forbidden = skipped_forbidden || !route.forbidden.empty();
    if (!route.attempts.empty()) {
      e->route_source = use_default ? "default" : "alias";
      winner.route = use_default ? &*policy.default_route : nullptr;
      winner.choice = choice;
      if (explaining) {
        winner.tried = tried;
        winner.filtered = route;
      }
      d.plan = std::move(route.attempts);
    }
  }

  if (!e->route_source.empty()) {
    if (e->route_source == "default") {
      d.reasons.push_back(reason::kDefaultRoute);
    } else if (e->route_source == "alias") {
      d.reasons.push_back(reason::kAliasRoute);
    } else {
      d.reasons.push_back(e->route_source);
    }
  }
  d.deadline_ms = facts.deadline_ms;
  if (d.deadline_ms <= 0) {
    auto tier = policy.tier_deadline_ms.find(facts.latency_tier);
    if (tier != policy.tier_deadline_ms.end()) d.deadline_ms = tier->second;
  }
  // A cascade keeps its order: its first lane answers in full before any escalation.
  if (winner.route == nullptr || !winner.route->cascade.has_value()) {
    ApplyAffinity(facts.session_lane, d.plan, &d);
    ApplyDeadline(d.deadline_ms, facts.session_lane, d.plan, &d);
  }
  RecordCapabilityAndCost(winner.route, winner.choice, config, facts, &d);
  RecordCascade(winner.route, config, facts, &d);
  if (skipped_down) d.reasons.push_back(reason::kLaneDownSkipped);
  if (skipped_forbidden) d.reasons.push_back(reason::kLaneForbiddenSkipped);
  if (over_cost_cap) d.reasons.push_back(reason::kOverCostCapSkipped);
  if (explaining && !d.plan.empty()) {
    ExplainCandidates(winner.route != nullptr ? *winner.route : config::RouteTarget{}, winner.tried,
                      winner.choice, winner.filtered, winner.max_cost_usd, config, lanes, facts, d,
                      e);
  }

  if (d.plan.empty()) {
    FailClosed(&d, saw_allowed ? reason::kAllowedLanesDown : reason::kNoAllowedLane);
  } else {
    d.redaction_required = std::any_of(d.plan.begin(), d.plan.end(),
                                       [](const core::PlannedAttempt& a) { return a.redact; });
    if (d.redaction_required) {
      d.reasons.push_back(reason::kRedactionRequired);
      d.evidence_required = true;
    }
  }
  if (explaining) FillLaneVerdicts(config, lanes, cls, true, d, e);
  return d;
}

}  // namespace

core::RouteDecision Decide(const core::Facts& facts, const Config& config,
                           const core::LaneStates& lanes, const DecideContext& ctx,
                           Explanation* explanation) {
  // Without a caller for the explanation, skip building its texts (the hot path).
  const bool explaining = explanation != nullptr;
  Explanation scratch;
  Explanation* e = explaining ? explanation : &scratch;
  *e = Explanation{};
  core::RouteDecision d = DecideExplained(facts, config, lanes, ctx, explaining, e);
  // For the audit record and the metrics.
  d.detected_data_class = e->data_class.detected;
  d.route_source = e->route_source;
  return d;
}

core::Status DecisionStatus(const core::RouteDecision& decision) {
  if (!decision.no_route) return core::Status::Ok();
  const std::string why = decision.reasons.empty() ? "no_route" : decision.reasons.front();
  if (why == reason::kUnknownDataClass) {
    return core::InvalidArgument("unknown data class in x-lanewise-data-class", why);
  }
  if (why == reason::kUnknownModel) {
    return core::NotFound("the requested model is not served by this gateway", why);
  }
  if (why == reason::kAllowedLanesDown) {
    // Not a refusal: the lanes this class may use are down (their breakers are open).
    // Retryable, and nothing went to any other lane.
    return core::Unavailable("every lane allowed for data class \"" + decision.data_class +
                                 "\" is down; the request was not sent to any other lane",
                             why);
  }
  std::string message = "no lane allowed for data class \"" + decision.data_class +
                        "\" can serve this request (" + why + ")";
  return {core::StatusCode::kPermissionDenied, std::move(message), why};
}

boost::json::object ExplainDecision(const core::Facts& facts, const Config& config,
                                    const core::LaneStates& lanes, const DecideContext& ctx) {
  Explanation explanation;
  const core::RouteDecision decision = Decide(facts, config, lanes, ctx, &explanation);
  boost::json::object out = ToJson(explanation);
  out["decision"] = ToJson(decision);
  out["facts"] = FactsToJson(facts);
  out["policy_version"] = config.version;
  out["policy_present"] = config.policy.has_value();
  return out;
}

}  // namespace lanewise::policy
