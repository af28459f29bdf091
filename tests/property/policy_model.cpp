#include "policy_model.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace lanewise::property {

const std::vector<std::string> kEntityTypes = {"CREDIT_CARD", "PERSON", "EMAIL_ADDRESS",
                                               "SECRET",      "URL",    "PROJECT_CODE"};
const std::vector<std::string> kAliases = {"a0", "a1", "a2", "a3"};

namespace {

const char* kKinds[] = {"local", "private", "managed"};
const char* kCrossings[] = {"deny", "redact", "allow"};
const core::LatencyTier kTiers[] = {core::LatencyTier::kUnspecified,
                                    core::LatencyTier::kInteractive, core::LatencyTier::kBackground,
                                    core::LatencyTier::kBatch};

int Uniform(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}
bool Chance(std::mt19937_64& rng, double p) {
  return std::bernoulli_distribution(p)(rng);
}
double Unit(std::mt19937_64& rng) {
  return std::uniform_real_distribution<double>(0, 1)(rng);
}

template <typename T>
std::vector<T> Subset(std::mt19937_64& rng, const std::vector<T>& from, double p) {
  std::vector<T> out;
  for (const T& x : from) {
    if (Chance(rng, p)) out.push_back(x);
  }
  return out;
}

const char* TierName(core::LatencyTier t) {
  switch (t) {
    case core::LatencyTier::kInteractive:
      return "interactive";
    case core::LatencyTier::kBackground:
      return "background";
    case core::LatencyTier::kBatch:
      return "batch";
    default:
      return "unspecified";
  }
}

std::string Crossing(const MClass& c, const std::string& kind) {
  if (kind == "local") return "allow";
  return kind == "private" ? c.private_crossing : c.managed_crossing;
}

template <typename T, typename F>
std::string List(const std::vector<T>& items, F render) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + render(items[i]);
  return out + "]";
}

std::string Quote(const std::string& s) {
  return "\"" + s + "\"";
}

std::string Steps(const std::vector<MStep>& steps) {
  std::string out = "{lane: " + steps[0].lane;
  if (!steps[0].model.empty()) out += ", model: " + steps[0].model;
  out += ", fallbacks: [";
  for (std::size_t i = 1; i < steps.size(); ++i) {
    out += i > 1 ? ", " : "";
    out += steps[i].model.empty() ? steps[i].lane
                                  : "{lane: " + steps[i].lane + ", model: " + steps[i].model + "}";
  }
  return out + "]}";
}

std::vector<MStep> RandomSteps(std::mt19937_64& rng, const std::vector<MLane>& lanes) {
  std::vector<MStep> steps;
  const int n = Uniform(rng, 1, 3);
  for (int i = 0; i < n; ++i) {
    MStep s{lanes[std::size_t(Uniform(rng, 0, int(lanes.size()) - 1))].name,
            Chance(rng, 0.25) ? "override-model" : ""};
    const bool dup = std::any_of(steps.begin(), steps.end(), [&](const MStep& o) {
      return o.lane == s.lane && o.model == s.model;
    });
    if (!dup) steps.push_back(s);
  }
  return steps;
}

MClass RandomClass(std::mt19937_64& rng, int index, const std::vector<MLane>& lanes) {
  MClass c;
  c.name = "c" + std::to_string(index);
  if (Chance(rng, 0.5)) {
    c.private_crossing = c.managed_crossing = kCrossings[Uniform(rng, 0, 2)];
  } else {
    c.private_crossing = kCrossings[Uniform(rng, 0, 2)];
    c.managed_crossing = kCrossings[Uniform(rng, 0, 2)];
  }
  c.evidence = Chance(rng, 0.3);
  if (Chance(rng, 0.6)) {  // a selector; only what the crossing lets through
    for (const MLane& lane : lanes) {
      if (Crossing(c, lane.kind) != "deny" && Chance(rng, 0.4)) c.lanes.push_back(lane.name);
    }
    for (const char* kind : kKinds) {
      if (Crossing(c, kind) != "deny" && Chance(rng, 0.3)) c.kinds.push_back(kind);
    }
  }
  return c;
}

MRule RandomRule(std::mt19937_64& rng, int index, const MConfig& config, int classes) {
  MRule r;
  r.name = "r" + std::to_string(index);
  std::vector<int> ranks;
  for (int i = 0; i < classes; ++i) ranks.push_back(i);
  if (Chance(rng, 0.25)) r.classes = Subset(rng, ranks, 0.5);
  if (Chance(rng, 0.2)) r.at_least = Uniform(rng, 0, classes - 1);
  if (Chance(rng, 0.2)) r.at_most = Uniform(rng, 0, classes - 1);
  if (Chance(rng, 0.25)) r.entities = Subset(rng, kEntityTypes, 0.3);
  if (Chance(rng, 0.35)) {
    std::vector<std::string> pool = kAliases;
    pool.push_back("auto");
    r.models = Subset(rng, pool, 0.4);
  }
  if (Chance(rng, 0.3))
    r.latency = Subset(rng, std::vector<core::LatencyTier>(kTiers, kTiers + 4), 0.5);
  if (Chance(rng, 0.15)) r.tenants = Subset(rng, std::vector<std::string>{"t0", "t1", "t2"}, 0.5);
  if (Chance(rng, 0.2)) r.min_tokens = std::size_t(Uniform(rng, 0, 30000));
  if (Chance(rng, 0.2)) r.max_tokens = std::size_t(Uniform(rng, 0, 30000));
  if (r.min_tokens && r.max_tokens && *r.min_tokens > *r.max_tokens)
    std::swap(*r.min_tokens, *r.max_tokens);
  if (Chance(rng, 0.15)) r.min_difficulty = Unit(rng);
  if (Chance(rng, 0.15)) r.max_difficulty = Unit(rng);
  if (r.min_difficulty && r.max_difficulty && *r.min_difficulty > *r.max_difficulty) {
    std::swap(*r.min_difficulty, *r.max_difficulty);
  }
  if (Chance(rng, 0.15)) r.needs_tools = Chance(rng, 0.5);
  r.steps = RandomSteps(rng, config.lanes);
  return r;
}

void DropUnusableSteps(const MConfig& config, MRule* rule) {
  std::vector<MStep> kept;
  for (const MStep& step : rule->steps) {
    bool usable = false;
    for (std::size_t i = 0; i < config.policy->classes.size(); ++i) {
      const int rank = int(i);
      const bool can_match =
          (rule->classes.empty() ||
           std::find(rule->classes.begin(), rule->classes.end(), rank) != rule->classes.end()) &&
          (!rule->at_least || rank >= *rule->at_least) &&
          (!rule->at_most || rank <= *rule->at_most);
      usable = usable || (can_match && ClassAccess(config, config.policy->classes[i],
                                                   *config.Lane(step.lane)) != Access::kForbidden);
    }
    if (usable) kept.push_back(step);
  }
  rule->steps = std::move(kept);
}

}  // namespace

MConfig RandomConfig(std::mt19937_64& rng) {
  MConfig config;
  const bool with_policy = Chance(rng, 0.9);
  const int lanes = Uniform(rng, 1, 5);
  std::vector<std::string> unused_aliases = kAliases;  // no policy: aliases must be unique
  for (int i = 0; i < lanes; ++i) {
    MLane lane{"l" + std::to_string(i), kKinds[Uniform(rng, 0, 2)], {}};
    if (with_policy) {
      lane.aliases = Subset(rng, kAliases, 0.45);
      if (lane.aliases.empty()) lane.aliases.push_back(kAliases[std::size_t(Uniform(rng, 0, 3))]);
    } else if (!unused_aliases.empty()) {
      lane.aliases.push_back(unused_aliases.back());
      unused_aliases.pop_back();
    } else {
      lane.aliases.push_back("extra" + std::to_string(i));
    }
    config.lanes.push_back(std::move(lane));
  }
  if (!with_policy) return config;

  MPolicy p;
  const int classes = Uniform(rng, 1, 4);
  for (int i = 0; i < classes; ++i) p.classes.push_back(RandomClass(rng, i, config.lanes));
  p.default_class = Uniform(rng, 0, classes - 1);
  for (int i = Uniform(rng, 0, 3); i > 0; --i)
    p.by_score.push_back({Unit(rng), Uniform(rng, 0, classes - 1)});
  for (int i = Uniform(rng, 0, 2); i > 0; --i)
    p.by_level.push_back({Uniform(rng, 0, 4), Uniform(rng, 0, classes - 1)});
  for (int i = Uniform(rng, 0, 3); i > 0; --i) {
    std::vector<std::string> pool = kEntityTypes;
    pool.push_back("*");
    std::vector<std::string> types = Subset(rng, pool, 0.3);
    if (types.empty()) types.push_back("CREDIT_CARD");
    p.by_entity.push_back({types, Uniform(rng, 1, 3), Uniform(rng, 0, classes - 1)});
  }
  for (const char* name : {"t0", "t1"}) {
    if (!Chance(rng, 0.6)) continue;
    MTenant t{name, Chance(rng, 0.5), std::nullopt};
    if (Chance(rng, 0.4)) t.min_class = Uniform(rng, 0, classes - 1);
    p.tenants.push_back(t);
  }
  config.policy = std::move(p);
  for (int i = Uniform(rng, 0, 5), n = 0; n < i; ++n) {
    MRule rule = RandomRule(rng, n, config, classes);
    // Mostly keep to what the loader accepts (it refuses a step no class of the rule may
    // use); one config in ten keeps such steps, and is refused, to exercise that path.
    if (!Chance(rng, 0.1)) DropUnusableSteps(config, &rule);
    if (!rule.steps.empty()) config.policy->rules.push_back(std::move(rule));
  }
  if (Chance(rng, 0.5)) {
    MRule any;
    any.steps = RandomSteps(rng, config.lanes);
    DropUnusableSteps(config, &any);
    if (!any.steps.empty()) config.policy->default_route = any.steps;
  }
  return config;
}

const MLane* MConfig::Lane(const std::string& name) const {
  for (const MLane& l : lanes) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

std::string MConfig::ToYaml() const {
  std::ostringstream y;
  y << "lanes:\n";
  for (const MLane& l : lanes) {
    y << "  - {name: " << l.name << ", kind: " << l.kind << ", base_url: 'http://127.0.0.1:9/v1',"
      << " models: "
      << List(l.aliases,
              [&](const std::string& a) {
                return "{alias: " + a + ", upstream: " + l.name + "-" + a + "}";
              })
      << "}\n";
  }
  if (!policy) return y.str();
  const MPolicy& p = *policy;
  const auto cls = [&](int i) { return p.classes[std::size_t(i)].name; };
  y << "policy:\n  data_classes:\n";
  for (const MClass& c : p.classes) {
    y << "    - {name: " << c.name << ", crossing: {private: " << c.private_crossing
      << ", managed: " << c.managed_crossing << "}, evidence: " << (c.evidence ? "true" : "false");
    if (!c.lanes.empty()) y << ", lanes: " << List(c.lanes, [](const std::string& s) { return s; });
    if (!c.kinds.empty()) y << ", kinds: " << List(c.kinds, [](const std::string& s) { return s; });
    y << "}\n";
  }
  y << "  classification:\n    default: " << cls(p.default_class) << "\n";
  y << "    by_score: " << List(p.by_score, [&](const MScore& s) {
    std::ostringstream o;
    o.precision(17);
    o << "{min_score: " << s.min << ", class: " << cls(s.cls) << "}";
    return o.str();
  }) << "\n";
  y << "    by_level: " << List(p.by_level, [&](const MLevel& l) {
    return "{min_level: " + std::to_string(l.min) + ", class: " + cls(l.cls) + "}";
  }) << "\n";
  y << "    by_entity: " << List(p.by_entity, [&](const MEntity& e) {
    return "{types: " + List(e.types, Quote) + ", min_count: " + std::to_string(e.min_count) +
           ", class: " + cls(e.cls) + "}";
  }) << "\n";
  if (!p.tenants.empty()) {
    y << "  tenants:\n";
    for (const MTenant& t : p.tenants) {
      y << "    " << t.name << ": {may_lower_class: " << (t.may_lower ? "true" : "false");
      if (t.min_class) y << ", min_class: " << cls(*t.min_class);
      y << "}\n";
    }
  }
  y << "  rules:\n";
  for (const MRule& r : p.rules) {
    std::ostringstream w;
    w.precision(17);
    if (!r.classes.empty()) w << "class: " << List(r.classes, cls) << ", ";
    if (r.at_least) w << "class_at_least: " << cls(*r.at_least) << ", ";
    if (r.at_most) w << "class_at_most: " << cls(*r.at_most) << ", ";
    if (!r.entities.empty()) w << "entities: " << List(r.entities, Quote) << ", ";
    if (!r.models.empty()) w << "models: " << List(r.models, Quote) << ", ";
    if (!r.tenants.empty()) w << "tenants: " << List(r.tenants, Quote) << ", ";
    if (!r.latency.empty()) {
      w << "latency: "
        << List(r.latency, [](core::LatencyTier t) { return std::string(TierName(t)); }) << ", ";
    }
    if (r.min_tokens || r.max_tokens) {
      w << "input_tokens: {";
      if (r.min_tokens) w << "min: " << *r.min_tokens << (r.max_tokens ? ", " : "");
      if (r.max_tokens) w << "max: " << *r.max_tokens;
      w << "}, ";
    }
    if (r.min_difficulty || r.max_difficulty) {
      w << "difficulty: {";
      if (r.min_difficulty) w << "min: " << *r.min_difficulty << (r.max_difficulty ? ", " : "");
      if (r.max_difficulty) w << "max: " << *r.max_difficulty;
      w << "}, ";
    }
    if (r.needs_tools) w << "needs_tools: " << (*r.needs_tools ? "true" : "false") << ", ";
    std::string when = w.str();
    if (!when.empty()) when.resize(when.size() - 2);
    y << "    - {name: " << r.name << ", when: {" << when << "}, route: " << Steps(r.steps)
      << "}\n";
  }
  if (p.default_route) y << "  default: " << Steps(*p.default_route) << "\n";
  return y.str();
}

core::Facts RandomFacts(std::mt19937_64& rng, const MConfig& config) {
  core::Facts f;
  for (const std::string& type : kEntityTypes) {
    if (!Chance(rng, 0.2)) continue;
    const int n = Uniform(rng, 1, 3);
    if (Chance(rng, 0.5)) {
      f.entity_counts[type] = n;
    } else {
      for (int i = 0; i < n; ++i) f.entities.push_back({type, "/m/0", 0, 4, 0.9});
    }
  }
  f.sensitivity_score = Unit(rng);
  f.max_entity_sensitivity = Uniform(rng, 0, 4);
  f.estimated_input_tokens = std::size_t(Uniform(rng, 0, 40000));
  f.needs_tools = Chance(rng, 0.3);
  f.difficulty = Chance(rng, 0.3) ? -1.0 : Unit(rng);
  const int pick = Uniform(rng, 0, 19);
  f.model_alias = pick < 17   ? kAliases[std::size_t(Uniform(rng, 0, 3))]
                  : pick < 19 ? "auto"
                              : "nope";
  f.latency_tier = kTiers[Uniform(rng, 0, 3)];
  f.tenant = std::vector<std::string>{"", "t0", "t1", "t2"}[std::size_t(Uniform(rng, 0, 3))];
  const int declared = Uniform(rng, 0, 19);
  if (declared < 9 && config.policy) {
    f.declared_data_class =
        config.policy->classes[std::size_t(Uniform(rng, 0, int(config.policy->classes.size()) - 1))]
            .name;
    if (declared == 0) {
      for (char& c : f.declared_data_class) c = char(std::toupper(static_cast<unsigned char>(c)));
    }
  } else if (declared == 9) {
    f.declared_data_class = "bogus";
  } else if (declared == 10) {
    f.declared_data_class = "public";
  }
  return f;
}

core::LaneStates RandomLaneStates(std::mt19937_64& rng, const MConfig& config) {
  core::LaneStates states;
  for (const MLane& lane : config.lanes) {
    if (Chance(rng, 0.2)) continue;  // absent: reachable
    states[lane.name].reachable = !Chance(rng, 0.2);
  }
  return states;
}

Access ClassAccess(const MConfig&, const MClass& c, const MLane& lane) {
  const bool selected = (c.lanes.empty() && c.kinds.empty()) ||
                        std::find(c.lanes.begin(), c.lanes.end(), lane.name) != c.lanes.end() ||
                        std::find(c.kinds.begin(), c.kinds.end(), lane.kind) != c.kinds.end();
  if (!selected) return Access::kForbidden;
  const std::string crossing = Crossing(c, lane.kind);
  if (crossing == "deny") return Access::kForbidden;
  return crossing == "redact" ? Access::kRedact : Access::kAllowed;
}

int EntityCount(const core::Facts& f, const std::string& type) {
  if (type == "*") {
    int counted = 0;
    for (const auto& [t, n] : f.entity_counts) counted += n;
    return std::max(counted, int(f.entities.size()));
  }
  int listed = 0;
  for (const core::Entity& e : f.entities) listed += e.type == type;
  auto it = f.entity_counts.find(type);
  return std::max(listed, it == f.entity_counts.end() ? 0 : it->second);
}

int DetectedClass(const MPolicy& p, const core::Facts& f) {
  int rank = p.default_class;
  for (const MScore& s : p.by_score) {
    if (f.sensitivity_score >= s.min) rank = std::max(rank, s.cls);
  }
  for (const MLevel& l : p.by_level) {
    if (f.max_entity_sensitivity >= l.min) rank = std::max(rank, l.cls);
  }
  for (const MEntity& e : p.by_entity) {
    int count = 0;
    for (const std::string& t : e.types) count += EntityCount(f, t);
    if (count >= e.min_count) rank = std::max(rank, e.cls);
  }
  return rank;
}

bool RuleMatches(const MRule& r, const core::Facts& f, int cls) {
  const auto has = [](const auto& v, const auto& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  if (!r.classes.empty() && !has(r.classes, cls)) return false;
  if (r.at_least && cls < *r.at_least) return false;
  if (r.at_most && cls > *r.at_most) return false;
  if (!r.entities.empty() &&
      std::none_of(r.entities.begin(), r.entities.end(),
                   [&](const std::string& t) { return EntityCount(f, t) > 0; })) {
    return false;
  }
  if (!r.models.empty() && !has(r.models, f.model_alias)) return false;
  if (!r.latency.empty() && !has(r.latency, f.latency_tier)) return false;
  if (!r.tenants.empty() && !has(r.tenants, f.tenant)) return false;
  if (r.min_tokens && f.estimated_input_tokens < *r.min_tokens) return false;
  if (r.max_tokens && f.estimated_input_tokens > *r.max_tokens) return false;
  if (r.min_difficulty || r.max_difficulty) {
    if (f.difficulty < 0) return false;
    if (r.min_difficulty && f.difficulty < *r.min_difficulty) return false;
    if (r.max_difficulty && f.difficulty > *r.max_difficulty) return false;
  }
  if (r.needs_tools && f.needs_tools != *r.needs_tools) return false;
  return true;
}

}  // namespace lanewise::property
