// InspectorOptions: what the policy configures about inspection. Filled by the config
// loader from the policy YAML, consumed by Inspector::Build. Plain data, no I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace lanewise::inspect {

// A detector declared in the policy: a list of terms, or a regular expression.
struct CustomDetector {
  std::string name;                // for errors and explanations
  std::string entity_type;         // e.g. "CLIENT_NAME", "PROJECT_CODE"
  int sensitivity = 2;             // level in the same scale as built-in types (see below)
  std::vector<std::string> terms;  // matched case-insensitively on word boundaries
  std::string pattern;             // Hyperscan/PCRE-compatible regex; empty if terms used
};

struct InspectorOptions {
  // Directory holding the gazetteers (given names, surnames, cities, street types...).
  std::string gazetteer_dir = "data/gazetteers";
  std::vector<CustomDetector> custom_detectors;
  // Sensitivity level per entity type overriding the built-in defaults
  // (0 public, 1 low, 2 moderate/personal, 3 high/financial, 4 critical/secrets).
  std::map<std::string, int> sensitivity_overrides;
  // Entity types switched off entirely.
  std::vector<std::string> disabled_types;
  // The difficulty model's weights (data/difficulty/weights.txt); empty: requests are
  // not scored (facts.difficulty stays -1).
  std::string difficulty_weights;
};

}  // namespace lanewise::inspect
