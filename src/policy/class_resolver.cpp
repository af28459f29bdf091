#include "policy/class_resolver.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

namespace lanewise::policy {
namespace {

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

std::string NormaliseClassName(std::string_view declared) {
  while (!declared.empty() && std::isspace(static_cast<unsigned char>(declared.front()))) {
    declared.remove_prefix(1);
  }
  while (!declared.empty() && std::isspace(static_cast<unsigned char>(declared.back()))) {
    declared.remove_suffix(1);
  }
  std::string out(declared);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int TotalEntities(const core::Facts& facts) {
  int from_counts = 0;
  for (const auto& [type, count] : facts.entity_counts) from_counts += count;
  return std::max(from_counts, static_cast<int>(facts.entities.size()));
}

// EntityCount for many types of the same facts: the entity list and entity_counts are
// merged once (the larger count per type), then each type is a short linear lookup.
class EntityTally {
 public:
  explicit EntityTally(const core::Facts& facts) : total_(TotalEntities(facts)) {
    for (const core::Entity& e : facts.entities) ++Entry(e.type);
    for (const auto& [type, count] : facts.entity_counts) {
      int& n = Entry(type);
      n = std::max(n, count);  // the larger of the listed and the counted
    }
  }
  int Count(std::string_view type) const {
    if (type == "*") return total_;
    const auto* entry = Find(type);
    return entry == nullptr ? 0 : entry->second;
  }

 private:
  // Most types differ in length or first byte: checked before the bytes.
  static bool Same(std::string_view a, std::string_view b) {
    return a.size() == b.size() && (a.empty() || a[0] == b[0]) && a == b;
  }
  const std::pair<std::string_view, int>* Find(std::string_view type) const {
    for (const auto& entry : tally_) {
      if (Same(entry.first, type)) return &entry;
    }
    return nullptr;
  }
  int& Entry(std::string_view type) {
    for (auto& entry : tally_) {
      if (Same(entry.first, type)) return entry.second;
    }
    return tally_.emplace_back(type, 0).second;
  }

  int total_;
  std::vector<std::pair<std::string_view, int>> tally_;  // few distinct types
};

}  // namespace

int EntityCount(const core::Facts& facts, const std::string& type) {
  if (type == "*") return TotalEntities(facts);
  int listed = 0;
  for (const core::Entity& e : facts.entities) listed += e.type == type ? 1 : 0;
  auto it = facts.entity_counts.find(type);
  return std::max(listed, it == facts.entity_counts.end() ? 0 : it->second);
}

ResolvedClass ResolveClass(const core::Facts& facts, const config::Policy& policy,
                           bool with_evidence) {
  ResolvedClass out;
  ClassVerdict& v = out.verdict;
  const auto name_of = [&](int rank) -> const std::string& {
    return policy.classes[static_cast<std::size_t>(rank)].name;
  };
  const config::Classification& rules = policy.classification;
  int detected = rules.default_rank;
  // Evidence texts are built only when asked for.
  const auto add = [&](const char* source, int rank, auto detail) {
    if (with_evidence) v.evidence.push_back({source, name_of(rank), detail()});
  };
  add("default", detected, [] { return std::string("default class"); });

  for (const config::ScoreThreshold& t : rules.by_score) {
    if (facts.sensitivity_score >= t.min_score && t.class_rank > rules.default_rank) {
      detected = std::max(detected, t.class_rank);
      add("score", t.class_rank, [&] {
        return "sensitivity score " + FormatNumber(facts.sensitivity_score) +
               " >= " + FormatNumber(t.min_score);
      });
    }
  }
  for (const config::LevelThreshold& t : rules.by_level) {
    if (facts.max_entity_sensitivity >= t.min_level && t.class_rank > rules.default_rank) {
      detected = std::max(detected, t.class_rank);
      add("level", t.class_rank, [&] {
        return "entity sensitivity level " + std::to_string(facts.max_entity_sensitivity) +
               " >= " + std::to_string(t.min_level);
      });
    }
  }
  const EntityTally tally(facts);
  for (const config::EntityThreshold& t : rules.by_entity) {
    // A threshold that cannot raise the class matters only for the evidence.
    if (!with_evidence && t.class_rank <= detected) continue;
    int count = 0;
    for (const std::string& type : t.types) count += tally.Count(type);
    if (count >= t.min_count && t.class_rank > rules.default_rank) {
      detected = std::max(detected, t.class_rank);
      add("entity", t.class_rank, [&] {
        std::string detail;
        for (const std::string& type : t.types) {
          const int n = tally.Count(type);
          if (n > 0) detail += (detail.empty() ? "" : ", ") + type + " x" + std::to_string(n);
        }
        return detail + " (min " + std::to_string(t.min_count) + ")";
      });
    }
  }
  v.detected = name_of(detected);

  int effective = detected;
  const config::TenantPolicy* tenant = policy.FindTenant(facts.tenant);
  if (!facts.declared_data_class.empty()) {
    v.declared = facts.declared_data_class;
    const config::DataClass* declared =
        policy.FindClass(NormaliseClassName(facts.declared_data_class));
    if (declared == nullptr) {
      v.declared_unknown = true;
      return out;  // fail closed: no class, the engine refuses the request
    }
    const bool may_lower = tenant != nullptr && tenant->may_lower_class;
    if (declared->rank > detected) {
      effective = declared->rank;
      v.declared_raised = true;
      add("declared", declared->rank, [] { return std::string("declared by the client"); });
    } else if (declared->rank < detected && may_lower) {
      effective = declared->rank;
      v.declared_lowered = true;
      add("declared", declared->rank, [&] {
        return "declared by the client; tenant \"" + tenant->name + "\" may lower the class";
      });
    } else if (declared->rank < detected) {
      v.declared_lower_ignored = true;
    }
  }
  if (tenant != nullptr && tenant->min_rank > effective) {
    effective = tenant->min_rank;
    v.tenant_floor_applied = true;
    add("tenant_floor", effective, [&] { return "tenant \"" + tenant->name + "\" min_class"; });
  }
  // Session taint: once a turn of the conversation was of a class, later turns are at
  // least that class, even when they no longer carry the value (a lower declaration or a
  // tenant's may_lower_class cannot undo it). A class the policy no longer has is ignored.
  if (const config::DataClass* floor = policy.FindClass(facts.session_class);
      floor != nullptr && floor->rank > effective) {
    effective = floor->rank;
    v.session_floor_applied = true;
    add("session_floor", effective,
        [] { return std::string("an earlier turn of the session had this class"); });
  }
  out.data_class = &policy.classes[static_cast<std::size_t>(effective)];
  v.effective = out.data_class->name;
  return out;
}

}  // namespace lanewise::policy
