// JSON-lines logging: one JSON object per line on stderr, with a timestamp and a level.
// Thread-safe. Values are never raw prompt text: callers pass ids, names and numbers.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace lanewise::telemetry {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void SetMinimumLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view message, boost::json::object fields = {});

}  // namespace lanewise::telemetry
