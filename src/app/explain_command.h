// `lanewise explain` and `lanewise eval-pii`: offline commands that never call a lane.
#pragma once

#include <istream>
#include <ostream>
#include <string>

namespace lanewise::app {

// Reads a chat request (JSON) from `in` and prints the decision, class, matched rules and
// entities (types and positions, never values). Returns 0, or 1 on a bad config/request.
int RunExplain(const std::string& config_path, std::istream& in, std::ostream& out,
               std::ostream& err);

}  // namespace lanewise::app
