#include "config/policy_loader.h"

#include <algorithm>

namespace lanewise::config {
namespace {

std::string ClassNames(const Policy& policy) {
  std::string out;
  for (const DataClass& c : policy.classes) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

Crossing ParseCrossing(const NodeRef& node) {
  const std::string value = node.OneOf({"deny", "redact", "allow"});
  if (value == "allow") return Crossing::kAllow;
  if (value == "redact") return Crossing::kRedact;
  return Crossing::kDeny;
}

void ReadCrossing(const NodeRef& node, DataClass* c) {
  if (node.IsScalar()) {
    c->private_crossing = c->managed_crossing = ParseCrossing(node);
    return;
  }
  node.RejectUnknownKeys({"private", "managed"});
  if (auto n = node.Find("private")) c->private_crossing = ParseCrossing(*n);
  if (auto n = node.Find("managed")) c->managed_crossing = ParseCrossing(*n);
}

Crossing CrossingFor(const DataClass& c, LaneKind kind) {
  switch (kind) {
    case LaneKind::kLocal:
      return Crossing::kAllow;
    case LaneKind::kPrivate:
      return c.private_crossing;
    case LaneKind::kManaged:
      return c.managed_crossing;
  }
  return Crossing::kDeny;
}

// Resolves a class's selector and crossing into per-lane access.
void ResolveAccess(const NodeRef& node, const Config& config, DataClass* c) {
  const bool select_all = c->lane_names.empty() && c->lane_kinds.empty();
  c->access.assign(config.lanes.size(), LaneAccess::kForbidden);
  for (std::size_t i = 0; i < config.lanes.size(); ++i) {
    const LaneConfig& lane = config.lanes[i];
    const bool named =
        std::find(c->lane_names.begin(), c->lane_names.end(), lane.name) != c->lane_names.end();
    const bool by_kind =
        std::find(c->lane_kinds.begin(), c->lane_kinds.end(), lane.kind) != c->lane_kinds.end();
    if (!select_all && !named && !by_kind) continue;
    const Crossing crossing = CrossingFor(*c, lane.kind);
    if (crossing == Crossing::kDeny) continue;
    c->access[i] =
        crossing == Crossing::kRedact ? LaneAccess::kAllowedWithRedaction : LaneAccess::kAllowed;
  }
  if (std::none_of(c->access.begin(), c->access.end(),
                   [](LaneAccess a) { return a != LaneAccess::kForbidden; })) {
    node.Warn("class \"" + c->name + "\" may use no lane: every request of this class is refused");
  }
}

DataClass ReadDataClass(const NodeRef& node, const Config& config, int rank) {
  node.ExpectMap();
  node.RejectUnknownKeys({"name", "lanes", "kinds", "crossing", "evidence", "minimum_context"});
  DataClass c;
  c.rank = rank;
  const NodeRef name = node.Require("name");
  c.name = name.NonEmptyString();
  if (!IsPolicyName(c.name)) {
    name.Fail("class names use only a-z, 0-9, '_' and '-' (at most 64), got \"" + c.name + "\"");
  }
  if (auto n = node.Find("crossing")) ReadCrossing(*n, &c);
  if (auto n = node.Find("evidence")) c.evidence_required = n->Bool();
  if (auto n = node.Find("minimum_context")) c.minimum_context = ReadMinimumContext(*n);
  if (auto lanes = node.Find("lanes")) {
    for (const NodeRef& item : lanes->IsScalar() ? std::vector<NodeRef>{*lanes} : lanes->Items()) {
      const std::string lane_name = item.NonEmptyString();
      const LaneConfig* lane = config.FindLane(lane_name);
      if (lane == nullptr) item.Fail("unknown lane \"" + lane_name + "\"");
      if (std::find(c.lane_names.begin(), c.lane_names.end(), lane_name) != c.lane_names.end()) {
        item.Fail("lane \"" + lane_name + "\" is listed twice");
      }
      if (CrossingFor(c, lane->kind) == Crossing::kDeny) {
        item.Fail("lane \"" + lane_name + "\" is " + std::string(LaneKindName(lane->kind)) +
                  " but this class's crossing for " + std::string(LaneKindName(lane->kind)) +
                  " lanes is deny; remove the lane or change crossing");
      }
      c.lane_names.push_back(lane_name);
    }
  }
  if (auto kinds = node.Find("kinds")) {
    for (const NodeRef& item : kinds->IsScalar() ? std::vector<NodeRef>{*kinds} : kinds->Items()) {
      const LaneKind kind = *ParseLaneKind(item.OneOf({"local", "private", "managed"}));
      if (std::find(c.lane_kinds.begin(), c.lane_kinds.end(), kind) != c.lane_kinds.end()) {
        item.Fail("kind \"" + std::string(LaneKindName(kind)) + "\" is listed twice");
      }
      if (CrossingFor(c, kind) == Crossing::kDeny) {
        item.Fail("kind \"" + std::string(LaneKindName(kind)) +
                  "\" is selected but this class's crossing for it is deny");
      }
      c.lane_kinds.push_back(kind);
    }
  }
  ResolveAccess(node, config, &c);
  return c;
}

void ReadDataClasses(const NodeRef& node, const Config& config, Policy* policy) {
  node.ExpectSequence(/*allow_empty=*/false);
  int rank = 0;
  for (const NodeRef& item : node.Items()) {
    DataClass c = ReadDataClass(item, config, rank++);
    if (policy->FindClass(c.name) != nullptr) {
      item.Require("name").Fail("duplicate class name \"" + c.name + "\"");
    }
    // Sensitivity only rises: a more sensitive class should never reach further.
    for (const DataClass& lower : policy->classes) {
      for (std::size_t i = 0; i < c.access.size(); ++i) {
        if (c.access[i] == LaneAccess::kAllowed && lower.access[i] != LaneAccess::kAllowed) {
          item.Warn("class \"" + c.name + "\" is more sensitive than \"" + lower.name +
                    "\" but sends to lane \"" + config.lanes[i].name + "\" with fewer limits");
        } else if (c.access[i] == LaneAccess::kAllowedWithRedaction &&
                   lower.access[i] == LaneAccess::kForbidden) {
          item.Warn("class \"" + c.name + "\" is more sensitive than \"" + lower.name +
                    "\" but may use lane \"" + config.lanes[i].name + "\" which it forbids");
        }
      }
    }
    policy->classes.push_back(std::move(c));
  }
}

void ReadClassification(const NodeRef& node, Policy* policy) {
  if (node.IsNull()) return;
  node.RejectUnknownKeys({"default", "by_score", "by_level", "by_entity"});
  if (auto n = node.Find("default"))
    policy->classification.default_rank = ReadClassRank(*n, *policy);
  if (auto list = node.Find("by_score")) {
    for (const NodeRef& item : list->Items()) {
      item.ExpectMap();
      item.RejectUnknownKeys({"min_score", "class"});
      ScoreThreshold t;
      t.min_score = item.Require("min_score").Double(0, 1e9);
      t.class_rank = ReadClassRank(item.Require("class"), *policy);
      policy->classification.by_score.push_back(t);
    }
  }
  if (auto list = node.Find("by_level")) {
    for (const NodeRef& item : list->Items()) {
      item.ExpectMap();
      item.RejectUnknownKeys({"min_level", "class"});
      LevelThreshold t;
      t.min_level = static_cast<int>(item.Require("min_level").Int(0, 4));
      t.class_rank = ReadClassRank(item.Require("class"), *policy);
      policy->classification.by_level.push_back(t);
    }
  }
  if (auto list = node.Find("by_entity")) {
    for (const NodeRef& item : list->Items()) {
      item.ExpectMap();
      item.RejectUnknownKeys({"types", "min_count", "class"});
      EntityThreshold t;
      const NodeRef types = item.Require("types");
      for (const NodeRef& type : types.IsScalar() ? std::vector<NodeRef>{types} : types.Items()) {
        t.types.push_back(EntityTypeOrWildcard(type));
      }
      if (t.types.empty()) types.Fail("expected at least one entity type");
      if (auto n = item.Find("min_count")) t.min_count = static_cast<int>(n->Int(1, 1000000));
      t.class_rank = ReadClassRank(item.Require("class"), *policy);
      policy->classification.by_entity.push_back(std::move(t));
    }
  }
}

void ReadTenants(const NodeRef& node, Policy* policy) {
  for (const auto& [key, value] : node.Entries()) {
    TenantPolicy tenant;
    tenant.name = key.RawScalar();
    if (tenant.name.empty()) key.Fail("tenant names must not be empty");
    if (!value.IsNull()) {
      value.RejectUnknownKeys({"may_lower_class", "min_class"});
      if (auto n = value.Find("may_lower_class")) tenant.may_lower_class = n->Bool();
      if (auto n = value.Find("min_class")) tenant.min_rank = ReadClassRank(*n, *policy);
    }
    policy->tenants.emplace(tenant.name, std::move(tenant));
  }
}

}  // namespace

bool IsPolicyName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool IsEntityType(std::string_view type) {
  if (type.empty() || type.size() > 64) return false;
  return std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string EntityTypeOrWildcard(const NodeRef& node) {
  std::string type = node.NonEmptyString();
  if (type != "*" && !IsEntityType(type)) {
    node.Fail("entity types are written in upper case (A-Z, 0-9, '_'), got \"" + type + "\"");
  }
  return type;
}

int ReadClassRank(const NodeRef& node, const Policy& policy) {
  const std::string name = node.NonEmptyString();
  const DataClass* c = policy.FindClass(name);
  if (c == nullptr) {
    node.Fail("unknown data class \"" + name + "\" (expected one of: " + ClassNames(policy) + ")");
  }
  return c->rank;
}

// policy.latency_tiers: {interactive: {deadline_ms: 2000}, background: ..., batch: ...}.
static void ReadLatencyTiers(const NodeRef& node, Policy* policy) {
  node.ExpectMap();
  node.RejectUnknownKeys({"interactive", "background", "batch"});
  const std::pair<const char*, core::LatencyTier> tiers[] = {
      {"interactive", core::LatencyTier::kInteractive},
      {"background", core::LatencyTier::kBackground},
      {"batch", core::LatencyTier::kBatch}};
  for (const auto& [name, tier] : tiers) {
    auto n = node.Find(name);
    if (!n) continue;
    n->ExpectMap();
    n->RejectUnknownKeys({"deadline_ms"});
    policy->tier_deadline_ms[tier] = n->Require("deadline_ms").Int(1, 86'400'000);
  }
}

Policy ReadPolicy(const NodeRef& node, const Config& config, const LoadOptions& options) {
  if (node.IsNull()) node.Fail("expected a mapping with at least data_classes");
  node.ExpectMap();
  node.RejectUnknownKeys({"data_classes", "classification", "tenants", "rules", "default",
                          "inspection", "redaction", "latency_tiers"});
  Policy policy;
  ReadDataClasses(node.Require("data_classes"), config, &policy);
  if (auto n = node.Find("classification")) ReadClassification(*n, &policy);
  if (auto n = node.Find("tenants")) ReadTenants(*n, &policy);
  // Inspection first: capability routes need the difficulty calibration.
  const std::optional<NodeRef> inspection = node.Find("inspection");
  if (inspection) policy.inspection = ReadInspection(*inspection, options);
  ReadDifficulty(inspection, options, &policy);
  if (auto n = node.Find("rules")) ReadRules(*n, config, &policy);
  if (auto n = node.Find("default")) {
    policy.default_route = ReadRouteTarget(*n, config, nullptr, policy);
  }
  if (auto n = node.Find("redaction")) policy.redaction = ReadRedaction(*n, policy, options);
  if (auto n = node.Find("latency_tiers")) ReadLatencyTiers(*n, &policy);
  return policy;
}

}  // namespace lanewise::config
