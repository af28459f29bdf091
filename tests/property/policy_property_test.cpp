// Random policies x random requests x random lane health, checked against an independent
// model of the policy (policy_model.h). Invariants:
//   1. every attempt of every plan uses a lane the request's class allows, is reachable,
//      and carries redact exactly when the lane is non-local under `redact`;
//   2. a declared class never lowers the detected class (unless the tenant may lower),
//      and an unknown declared class is refused;
//   3. no_route iff no candidate lane (matching rules, then default or alias lanes) is
//      allowed and reachable; otherwise the plan is the first usable candidate route.
// Seed: LANEWISE_PROPERTY_SEED (default fixed), printed; cases: LANEWISE_PROPERTY_CASES.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <set>

#include "config/config_loader.h"
#include "policy/engine.h"
#include "policy_model.h"

namespace lanewise::property {
namespace {

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::strtoull(value, nullptr, 10);
}

struct ExpectedAttempt {
  std::string lane;
  bool redact;
};

// The filtered steps of a candidate route under class `cls` and `lanes`.
std::vector<ExpectedAttempt> Usable(const MConfig& config, const MClass* cls,
                                    const std::vector<MStep>& steps,
                                    const core::LaneStates& lanes) {
  std::vector<ExpectedAttempt> out;
  for (const MStep& step : steps) {
    const MLane* lane = config.Lane(step.lane);
    const Access access = cls == nullptr ? Access::kAllowed : ClassAccess(config, *cls, *lane);
    auto it = lanes.find(step.lane);
    const bool reachable = it == lanes.end() || it->second.reachable;
    if (access == Access::kForbidden || !reachable) continue;
    out.push_back({step.lane, access == Access::kRedact});
  }
  return out;
}

std::vector<MStep> AliasSteps(const MConfig& config, const std::string& alias) {
  std::vector<MStep> out;
  for (const MLane& lane : config.lanes) {
    if (std::find(lane.aliases.begin(), lane.aliases.end(), alias) != lane.aliases.end()) {
      out.push_back({lane.name, ""});
    }
  }
  return out;
}

class Checker {
 public:
  Checker(const MConfig& model, const config::Config& config) : model_(model), config_(config) {}

  // Returns a description of the first violated invariant, or "".
  std::string Check(const core::Facts& f, const core::LaneStates& lanes,
                    const core::RouteDecision& d) const {
    if (d.policy_version != config_.version) return "policy_version differs";
    if (d.no_route != d.plan.empty()) return "no_route disagrees with the plan";
    if (d.no_route && d.reasons.empty()) return "no_route without a reason";
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < d.plan.size(); ++i) {
      const auto& a = d.plan[i];
      if (model_.Lane(a.lane) == nullptr) return "plan names an unknown lane " + a.lane;
      if (a.role != (i == 0 ? "primary" : "fallback"))
        return "wrong role at step " + std::to_string(i);
      if (!seen.emplace(a.lane, a.upstream_model).second) return "duplicate attempt " + a.lane;
      if (a.upstream_model.empty()) return "empty upstream model";
    }
    const bool any_redact =
        std::any_of(d.plan.begin(), d.plan.end(), [](const auto& a) { return a.redact; });
    if (d.redaction_required != any_redact) return "redaction_required disagrees with the plan";

    // Class.
    const MClass* cls = nullptr;
    if (!model_.policy) {
      std::string declared = f.declared_data_class;
      for (char& c : declared) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (!declared.empty() && declared != "public") return ExpectRefused(d, "unknown_data_class");
      if (d.data_class != "public") return "no policy but class " + d.data_class;
    } else {
      const MPolicy& p = *model_.policy;
      const int detected = DetectedClass(p, f);
      int effective = detected;
      const MTenant* tenant = nullptr;
      for (const MTenant& t : p.tenants) tenant = t.name == f.tenant ? &t : tenant;
      if (!f.declared_data_class.empty()) {
        std::string declared = f.declared_data_class;
        for (char& c : declared) c = char(std::tolower(static_cast<unsigned char>(c)));
        int rank = -1;
        for (std::size_t i = 0; i < p.classes.size(); ++i)
          rank = p.classes[i].name == declared ? int(i) : rank;
        if (rank < 0) return ExpectRefused(d, "unknown_data_class");
        effective = tenant != nullptr && tenant->may_lower ? rank : std::max(detected, rank);
        if (effective < rank) return "oracle bug";
      }
      if (tenant != nullptr && tenant->min_class)
        effective = std::max(effective, *tenant->min_class);
      cls = &p.classes[std::size_t(effective)];
      if (d.data_class != cls->name) {
        return "class " + d.data_class + ", expected " + cls->name;
      }
      const bool lowering_allowed = tenant != nullptr && tenant->may_lower;
      if (!lowering_allowed && effective < detected) return "class lowered below detection";
      if (d.evidence_required != (cls->evidence || any_redact)) return "evidence_required wrong";
    }

    // Every step is allowed and reachable, with the right redact flag.
    for (const auto& a : d.plan) {
      const MLane* lane = model_.Lane(a.lane);
      const Access access = cls == nullptr ? Access::kAllowed : ClassAccess(model_, *cls, *lane);
      if (access == Access::kForbidden) return "FORBIDDEN lane " + a.lane + " in the plan";
      if (a.redact != (access == Access::kRedact)) return "redact flag wrong on " + a.lane;
      auto it = lanes.find(a.lane);
      if (it != lanes.end() && !it->second.reachable) return "down lane " + a.lane + " in the plan";
    }

    // Candidates and the chosen route.
    bool alias_known = !AliasSteps(model_, f.model_alias).empty();
    std::vector<const MRule*> rules;
    if (model_.policy) {
      for (const MRule& r : model_.policy->rules) {
        alias_known = alias_known ||
                      std::find(r.models.begin(), r.models.end(), f.model_alias) != r.models.end();
        rules.push_back(&r);
      }
    }
    if (!alias_known) return ExpectRefused(d, "unknown_model");
    const int rank = cls == nullptr ? 0 : int(cls - &model_.policy->classes[0]);
    std::vector<ExpectedAttempt> expected;
    for (const MRule* r : rules) {
      if (!RuleMatches(*r, f, rank)) continue;
      expected = Usable(model_, cls, r->steps, lanes);
      if (!expected.empty()) break;
    }
    if (expected.empty()) {
      const bool with_default = model_.policy && model_.policy->default_route;
      expected = Usable(
          model_, cls,
          with_default ? *model_.policy->default_route : AliasSteps(model_, f.model_alias), lanes);
    }
    if (expected.empty() != d.no_route) {
      return d.no_route ? "no_route although an allowed reachable candidate exists"
                        : "routed although no allowed reachable candidate exists";
    }
    if (expected.size() != d.plan.size()) return "plan length differs from the first usable route";
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (expected[i].lane != d.plan[i].lane) return "plan differs at step " + std::to_string(i);
    }
    return "";
  }

 private:
  static std::string ExpectRefused(const core::RouteDecision& d, const std::string& why) {
    if (!d.no_route || !d.plan.empty()) return "expected refusal " + why + ", got a plan";
    if (d.reasons.empty() || d.reasons[0] != why) return "expected first reason " + why;
    return "";
  }

  const MConfig& model_;
  const config::Config& config_;
};

TEST(PolicyPropertyTest, RandomPoliciesNeverRouteWhereTheClassForbids) {
  const std::uint64_t seed = EnvNumber("LANEWISE_PROPERTY_SEED", 20261122);
  const std::uint64_t target_cases = EnvNumber("LANEWISE_PROPERTY_CASES", 100000);
  constexpr int kFactsPerConfig = 250;  // loading a config costs far more than deciding
  std::cout << "[ property ] seed " << seed << " (LANEWISE_PROPERTY_SEED), target cases "
            << target_cases << std::endl;
  RecordProperty("seed", std::to_string(seed));

  std::mt19937_64 rng(seed);
  config::LoadOptions options;
  options.env = [](const std::string&) { return std::optional<std::string>(); };
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t cases = 0, configs = 0, rejected = 0, no_routes = 0, redacted = 0;
  std::uint64_t with_policy = 0;
  policy::DecideContext ctx;
  ctx.decision_id = "dec_property";
  ctx.now = std::chrono::system_clock::time_point(std::chrono::seconds(1));

  while (cases < target_cases) {
    const MConfig model = RandomConfig(rng);
    const std::string yaml = model.ToYaml();
    auto loaded = config::LoadConfigString(yaml, "random.yaml", options);
    if (!loaded.ok()) {
      ++rejected;  // e.g. a route lane forbidden for every class the rule can match
      ASSERT_LT(rejected, 20 * (configs + 10)) << "generator makes mostly invalid configs:\n"
                                               << loaded.status().message() << "\n"
                                               << yaml;
      continue;
    }
    ++configs;
    with_policy += model.policy.has_value();
    const Checker checker(model, **loaded);
    for (int i = 0; i < kFactsPerConfig; ++i, ++cases) {
      const core::Facts facts = RandomFacts(rng, model);
      const core::LaneStates lanes = RandomLaneStates(rng, model);
      const core::RouteDecision d = policy::Decide(facts, **loaded, lanes, ctx);
      no_routes += d.no_route;
      redacted += d.redaction_required;
      const std::string violation = checker.Check(facts, lanes, d);
      if (!violation.empty()) {
        std::string plan;
        for (const auto& a : d.plan) plan += a.lane + (a.redact ? "(redact) " : " ");
        std::string reasons;
        for (const auto& r : d.reasons) reasons += r + " ";
        FAIL() << violation << "\nseed " << seed << ", case " << cases << "\nclass " << d.data_class
               << ", declared '" << facts.declared_data_class << "', tenant '" << facts.tenant
               << "', model " << facts.model_alias << "\nplan: " << plan << "\nreasons: " << reasons
               << "\nconfig:\n"
               << yaml;
      }
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ property ] " << cases << " cases over " << configs << " configs (" << with_policy
            << " with a policy, " << rejected << " generated configs refused by "
            << "the loader), " << no_routes << " no_route, " << redacted << " redacted, in "
            << seconds << " s" << std::endl;
  // The generator must exercise both outcomes.
  EXPECT_GT(no_routes, cases / 50);
  EXPECT_LT(no_routes, cases - cases / 10);
  EXPECT_GT(redacted, cases / 100);
}

}  // namespace
}  // namespace lanewise::property
