#include "policy/rule_matcher.h"

#include <algorithm>
#include <cstdio>

#include "policy/class_resolver.h"

namespace lanewise::policy {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

}  // namespace

bool ConditionHolds(const config::RuleCondition& when, const core::Facts& facts, int class_rank,
                    const config::Policy& policy, std::string* why_not) {
  // Records the first failing condition; `describe` runs only when a text is wanted.
  const auto fail = [why_not](auto describe) {
    if (why_not != nullptr) *why_not = describe();
    return false;
  };
  const auto class_name = [&](int rank) { return policy.classes[std::size_t(rank)].name; };
  if (!when.classes.empty() &&
      std::find(when.classes.begin(), when.classes.end(), class_rank) == when.classes.end()) {
    return fail([&] {
      std::vector<std::string> names;
      for (int r : when.classes) names.push_back(class_name(r));
      return "class is " + class_name(class_rank) + ", rule wants " + Join(names);
    });
  }
  if (when.class_at_least && class_rank < *when.class_at_least) {
    return fail([&] {
      return std::string("class " + class_name(class_rank) + " is below " +
                         class_name(*when.class_at_least));
    });
  }
  if (when.class_at_most && class_rank > *when.class_at_most) {
    return fail([&] {
      return std::string("class " + class_name(class_rank) + " is above " +
                         class_name(*when.class_at_most));
    });
  }
  if (!when.entity_types.empty() &&
      std::none_of(when.entity_types.begin(), when.entity_types.end(),
                   [&](const std::string& type) { return EntityCount(facts, type) > 0; })) {
    return fail(
        [&] { return "none of the entity types " + Join(when.entity_types) + " is present"; });
  }
  if (!when.models.empty() &&
      std::find(when.models.begin(), when.models.end(), facts.model_alias) == when.models.end()) {
    return fail([&] {
      return std::string("model \"" + facts.model_alias + "\" is not one of " + Join(when.models));
    });
  }
  if (!when.latency.empty() && std::find(when.latency.begin(), when.latency.end(),
                                         facts.latency_tier) == when.latency.end()) {
    return fail([&] {
      std::vector<std::string> names;
      for (core::LatencyTier t : when.latency) names.emplace_back(config::LatencyTierName(t));
      return "latency tier is " + std::string(config::LatencyTierName(facts.latency_tier)) +
             ", rule wants " + Join(names);
    });
  }
  if (!when.tenants.empty() &&
      std::find(when.tenants.begin(), when.tenants.end(), facts.tenant) == when.tenants.end()) {
    return fail([&] {
      return std::string("tenant \"" + facts.tenant + "\" is not one of " + Join(when.tenants));
    });
  }
  if (when.min_input_tokens && facts.estimated_input_tokens < *when.min_input_tokens) {
    return fail([&] {
      return std::string("estimated input tokens " + std::to_string(facts.estimated_input_tokens) +
                         " < min " + std::to_string(*when.min_input_tokens));
    });
  }
  if (when.max_input_tokens && facts.estimated_input_tokens > *when.max_input_tokens) {
    return fail([&] {
      return std::string("estimated input tokens " + std::to_string(facts.estimated_input_tokens) +
                         " > max " + std::to_string(*when.max_input_tokens));
    });
  }
  if (when.min_difficulty || when.max_difficulty) {
    if (facts.difficulty < 0) return fail([&] { return std::string("difficulty was not scored"); });
    if (when.min_difficulty && facts.difficulty < *when.min_difficulty) {
      return fail([&] {
        return std::string("difficulty " + FormatNumber(facts.difficulty) + " < min " +
                           FormatNumber(*when.min_difficulty));
      });
    }
    if (when.max_difficulty && facts.difficulty > *when.max_difficulty) {
      return fail([&] {
        return std::string("difficulty " + FormatNumber(facts.difficulty) + " > max " +
                           FormatNumber(*when.max_difficulty));
      });
    }
  }
  if (when.needs_tools && facts.needs_tools != *when.needs_tools) {
    return fail([&] {
      return std::string(facts.needs_tools ? "request uses tools" : "request uses no tools");
    });
  }
  if (when.needs_vision && facts.needs_vision != *when.needs_vision) {
    return fail([&] {
      return std::string(facts.needs_vision ? "request has images" : "request has no images");
    });
  }
  return true;
}

}  // namespace lanewise::policy
