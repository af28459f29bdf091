// TypeTable: every entity type an Inspector can report (built-in types first, then the
// policy's custom types), with the sensitivity level and on/off switch that the
// options give each. Built once per Inspector, then read-only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "inspect/entity_types.h"

namespace lanewise::inspect {

class TypeTable {
 public:
  TypeTable();  // the built-in types at their default levels, all enabled

  // The id of `name`, adding it if new. A custom detector's level raises the type's
  // level if higher (two detectors may share a type). Level must be 0..4.
  core::Result<TypeId> Declare(std::string_view name, int level);
  core::Status Override(std::string_view name, int level);
  core::Status Disable(std::string_view name);

  std::optional<TypeId> Find(std::string_view name) const;
  const std::string& Name(TypeId id) const { return entries_[id].name; }
  int Level(TypeId id) const { return entries_[id].level; }
  bool Enabled(TypeId id) const { return entries_[id].enabled; }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string name;
    int level;
    bool enabled;
  };
  std::vector<Entry> entries_;
};

}  // namespace lanewise::inspect
