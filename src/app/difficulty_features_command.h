// `lanewise difficulty-features`: the difficulty features (or scores) of requests read
// from stdin, one JSON object per line: a chat-completions body ({"messages": [...]})
// or {"prompt": "..."} (a single user message). Prints one line per input line. Used by
// tools/train/train_difficulty.py so that training reads exactly the C++ features.
#pragma once

#include <iosfwd>
#include <string>

namespace lanewise::app {

struct DifficultyFeaturesOptions {
  std::string weights;    // non-empty: print each request's score instead of its features
  bool describe = false;  // print "<feature version> <feature count>" and stop
};

int RunDifficultyFeatures(const DifficultyFeaturesOptions& options, std::istream& in,
                          std::ostream& out, std::ostream& err);

}  // namespace lanewise::app
