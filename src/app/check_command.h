// `lanewise check`: validate a config file without serving.
#pragma once

#include <ostream>
#include <string>

namespace lanewise::app {

// Prints "ok" with the version, lanes and aliases, or the first error with file:line:col.
// Returns 0 when valid, 1 when not.
int RunCheck(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace lanewise::app
