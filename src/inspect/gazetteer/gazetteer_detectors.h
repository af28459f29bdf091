// GazetteerDetectors: PERSON, STREET_ADDRESS and LOCATION from word lists plus
// context rules (see name_detector.h, address_detector.h). Immutable after Load.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "inspect/entity_types.h"
#include "inspect/rules/type_table.h"

namespace lanewise::inspect {

class Gazetteer;

class GazetteerDetectors {
 public:
  // Loads the gazetteer files from `dir` (shared with other Inspectors built from the
  // same directory while any of them is alive).
  static core::Result<std::unique_ptr<const GazetteerDetectors>> Load(const std::string& dir);

  ~GazetteerDetectors();

  // Appends findings of the enabled types among PERSON, STREET_ADDRESS, LOCATION for the
  // normalised `text`. `existing` findings (from patterns) are visible to the rules so
  // that, e.g., an e-mail address is not read as a name.
  void Detect(std::string_view text, const TypeTable& types, std::vector<Finding>& findings) const;

 private:
  explicit GazetteerDetectors(std::shared_ptr<const Gazetteer> gazetteer);
  std::shared_ptr<const Gazetteer> gazetteer_;
};

}  // namespace lanewise::inspect
