#include "telemetry/json_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <ctime>

namespace lanewise::telemetry {
namespace {

std::atomic<int> minimum_level{static_cast<int>(LogLevel::kInfo)};

spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto made = std::make_shared<spdlog::logger>("lanewise", sink);
    made->set_pattern("%v");
    made->flush_on(spdlog::level::trace);
    return made;
  }();
  return *logger;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof(buf) - n, ".%03dZ", static_cast<int>(ms.count()));
  return buf;
}

}  // namespace

void SetMinimumLogLevel(LogLevel level) {
  minimum_level = static_cast<int>(level);
}

void Log(LogLevel level, std::string_view message, boost::json::object fields) {
  if (static_cast<int>(level) < minimum_level.load(std::memory_order_relaxed)) return;
  boost::json::object line;
  line["ts"] = UtcNow();
  line["level"] = LevelName(level);
  line["msg"] = message;
  for (auto& field : fields) line[field.key()] = std::move(field.value());
  Logger().info(boost::json::serialize(line));
}

}  // namespace lanewise::telemetry
