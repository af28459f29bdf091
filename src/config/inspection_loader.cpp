// policy.inspection: custom detectors and sensitivity settings for the inspector.
#include <filesystem>
#include <set>

#include "config/policy_loader.h"

namespace lanewise::config {
namespace {

constexpr std::int64_t kMaxLevel = 4;

inspect::CustomDetector ReadDetector(const NodeRef& node) {
  node.ExpectMap();
  node.RejectUnknownKeys({"name", "entity_type", "sensitivity", "terms", "pattern"});
  inspect::CustomDetector d;
  const NodeRef name = node.Require("name");
  d.name = name.NonEmptyString();
  if (!IsPolicyName(d.name)) {
    name.Fail("detector names use only a-z, 0-9, '_' and '-' (at most 64), got \"" + d.name + "\"");
  }
  const NodeRef type = node.Require("entity_type");
  d.entity_type = type.NonEmptyString();
  if (!IsEntityType(d.entity_type)) {
    type.Fail("entity types are written in upper case (A-Z, 0-9, '_'), got \"" + d.entity_type +
              "\"");
  }
  if (auto n = node.Find("sensitivity")) d.sensitivity = static_cast<int>(n->Int(0, kMaxLevel));
  std::optional<NodeRef> terms = node.Find("terms");
  std::optional<NodeRef> pattern = node.Find("pattern");
  if (terms.has_value() == pattern.has_value()) {
    node.Fail("a detector needs exactly one of terms or pattern");
  }
  if (terms.has_value()) {
    terms->ExpectSequence(/*allow_empty=*/false);
    for (const NodeRef& t : terms->Items()) d.terms.push_back(t.NonEmptyString());
  } else {
    // The syntax is checked when the inspector compiles it (Hyperscan), not here.
    d.pattern = pattern->NonEmptyString();
  }
  return d;
}

}  // namespace

inspect::InspectorOptions ReadInspection(const NodeRef& node, const LoadOptions& options) {
  inspect::InspectorOptions out;
  if (node.IsNull()) return out;
  node.RejectUnknownKeys({"gazetteer_dir", "detectors", "sensitivity_overrides", "disabled_types",
                          "difficulty_dir"});  // difficulty_dir: difficulty_loader.cpp
  if (auto n = node.Find("gazetteer_dir")) {
    std::filesystem::path dir(n->NonEmptyString());
    if (dir.is_relative() && !options.base_dir.empty()) dir = options.base_dir / dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      n->Fail("gazetteer directory \"" + dir.string() + "\" does not exist");
    }
    out.gazetteer_dir = dir.string();
  }
  if (auto n = node.Find("detectors")) {
    std::set<std::string, std::less<>> names;
    for (const NodeRef& item : n->Items()) {
      inspect::CustomDetector d = ReadDetector(item);
      if (!names.insert(d.name).second) {
        item.Require("name").Fail("duplicate detector name \"" + d.name + "\"");
      }
      out.custom_detectors.push_back(std::move(d));
    }
  }
  if (auto n = node.Find("sensitivity_overrides")) {
    for (const auto& [key, value] : n->Entries()) {
      const std::string type = key.RawScalar();
      if (!IsEntityType(type)) {
        key.Fail("entity types are written in upper case (A-Z, 0-9, '_'), got \"" + type + "\"");
      }
      out.sensitivity_overrides[type] = static_cast<int>(value.Int(0, kMaxLevel));
    }
  }
  if (auto n = node.Find("disabled_types")) {
    for (const NodeRef& item : n->Items()) {
      const std::string type = item.NonEmptyString();
      if (!IsEntityType(type)) {
        item.Fail("entity types are written in upper case (A-Z, 0-9, '_'), got \"" + type + "\"");
      }
      out.disabled_types.push_back(type);
    }
  }
  return out;
}

}  // namespace lanewise::config
