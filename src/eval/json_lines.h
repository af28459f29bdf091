// JSON-lines files of the evaluations (data/routing/*.jsonl): one JSON object per line.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <functional>
#include <string>

#include "core/result.h"

namespace lanewise::inspect {

// The whole file, or NotFound naming it.
core::Result<std::string> ReadTextFile(const std::string& path);

// Calls `row` with each non-empty line of the file at `path` that is a JSON object, in
// order. A line that is not, or for which `row` returns false, is the error
// "path:line: not a <what>"; a file that cannot be read is NotFound.
core::Status ForEachJsonObjectLine(const std::string& path, const std::string& what,
                                   const std::function<bool(const boost::json::object&)>& row);

}  // namespace lanewise::inspect
