// PII evaluation: scores the Inspector's detectors on the public labelled sets in
// data/pii (presidio-synth and presidio-recognizer-cases) and prints span-level
// precision, recall and F1 per entity type. Used by `lanewise-eval-pii` and by
// `lanewise eval-pii`. See docs/inspection.md for the label mapping and matching rule.
#pragma once

#include <ostream>
#include <string>

namespace lanewise::inspect {

struct PiiEvalOptions {
  // Holds presidio-synth/ and presidio-recognizer-cases/ (copied into the project with their
  // SOURCE.txt); relative to the working directory, like the gazetteers.
  std::string data_dir = "data/pii";
  std::string gazetteer_dir = "data/gazetteers";
  // Print up to this many misses and false positives per type (0: none).
  int examples = 0;
  // Restrict the examples to one of our types (empty: all).
  std::string example_type;
};

// Returns 0 on success, 1 when the data cannot be read or the Inspector cannot be built.
int RunPiiEval(const PiiEvalOptions& options, std::ostream& out);

}  // namespace lanewise::inspect
