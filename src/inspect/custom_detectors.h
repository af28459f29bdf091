// Custom detectors from the policy turned into Hyperscan patterns: each term becomes a
// case-insensitive literal bounded by word boundaries (where the term begins/ends with
// a word character); a pattern is used as written. Every expression is compiled alone
// first (terms are escaped literals and need no check), so an error names the detector.
// A term with non-ASCII letters ("Zürich Re") is matched with Unicode case folding, where
// Hyperscan has no \b: its word boundaries are checked in C++ on each match instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "inspect/inspector_options.h"
#include "inspect/rules/pattern_database.h"
#include "inspect/rules/type_table.h"

namespace lanewise::inspect {

struct CustomPattern {
  TypeId type;
  float confidence;
  std::string label;  // "custom detector 'name'", for errors
  // A match must start / end at a Unicode word boundary (checked by AtWordEdges).
  bool word_start = false;
  bool word_end = false;

  // Whether text[from, to) meets the boundaries this pattern asks for.
  bool AtWordEdges(std::string_view text, std::size_t from, std::size_t to) const;
};

// Appends one PatternSpec per term or pattern to `specs` (ids numbered from
// specs.size(), so an empty `specs` gives ids that index `meanings`) and its meaning to `meanings`;
// declares the detectors' types.
core::Status AddCustomDetectors(const std::vector<CustomDetector>& detectors, TypeTable& types,
                                std::vector<PatternSpec>& specs,
                                std::vector<CustomPattern>& meanings);

// Escapes a literal for use inside a Hyperscan (PCRE) expression.
std::string EscapeRegex(std::string_view literal);

}  // namespace lanewise::inspect
