#include "inspect/rules/type_table.h"

#include <algorithm>

#include "core/result.h"

namespace lanewise::inspect {

TypeTable::TypeTable() {
  for (TypeId t = 0; t < kBuiltinTypeCount; ++t) {
    entries_.push_back({std::string(BuiltinTypeName(t)), BuiltinDefaultSensitivity(t), true});
  }
}

core::Result<TypeId> TypeTable::Declare(std::string_view name, int level) {
  if (name.empty()) return core::InvalidArgument("empty entity type", "bad_inspector_option");
  if (level < 0 || level > 4) {
    return core::InvalidArgument(
        "sensitivity of " + std::string(name) + " must be 0..4, got " + std::to_string(level),
        "bad_inspector_option");
  }
  if (auto id = Find(name)) {
    entries_[*id].level = std::max(entries_[*id].level, level);
    return *id;
  }
  entries_.push_back({std::string(name), level, true});
  return static_cast<TypeId>(entries_.size() - 1);
}

core::Status TypeTable::Override(std::string_view name, int level) {
  const auto id = Find(name);
  if (!id) {
    return core::InvalidArgument(
        "sensitivity_overrides names unknown entity type '" + std::string(name) + "'",
        "bad_inspector_option");
  }
  if (level < 0 || level > 4) {
    return core::InvalidArgument("sensitivity override for " + std::string(name) +
                                     " must be 0..4, got " + std::to_string(level),
                                 "bad_inspector_option");
  }
  entries_[*id].level = level;
  return core::Status::Ok();
}

core::Status TypeTable::Disable(std::string_view name) {
  const auto id = Find(name);
  if (!id) {
    return core::InvalidArgument(
        "disabled_types names unknown entity type '" + std::string(name) + "'",
        "bad_inspector_option");
  }
  entries_[*id].enabled = false;
  return core::Status::Ok();
}

std::optional<TypeId> TypeTable::Find(std::string_view name) const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].name == name) return static_cast<TypeId>(i);
  }
  return std::nullopt;
}

}  // namespace lanewise::inspect
