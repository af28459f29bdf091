// Custom detectors as the tests declare them (the policy's `detectors` entries).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "inspect/inspector_options.h"

namespace lanewise::inspect {

// A detector of `type` at `sensitivity`, without terms or pattern yet.
inline CustomDetector NamedDetector(std::string name, std::string type, int sensitivity) {
  CustomDetector d;
  d.name = std::move(name);
  d.entity_type = std::move(type);
  d.sensitivity = sensitivity;
  return d;
}

inline CustomDetector TermDetector(std::string name, std::string type, int sensitivity,
                                   std::vector<std::string> terms) {
  CustomDetector d = NamedDetector(std::move(name), std::move(type), sensitivity);
  d.terms = std::move(terms);
  return d;
}

inline CustomDetector PatternDetector(std::string name, std::string type, int sensitivity,
                                      std::string pattern) {
  CustomDetector d = NamedDetector(std::move(name), std::move(type), sensitivity);
  d.pattern = std::move(pattern);
  return d;
}

}  // namespace lanewise::inspect
