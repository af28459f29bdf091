#include "telemetry/json_log.h"

#include "core/utf8.h"

#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace lanewise::telemetry {
namespace {

std::atomic<int> minimum_level{static_cast<int>(LogLevel::kInfo)};

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

// "2026-11-22T10:00:00.123Z". The part up to the seconds is formatted once per second
// and thread (a request log line is written for every request).
void AppendUtcNow(std::string& out) {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[32];
  thread_local std::size_t cached_length = 0;
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != cached_second) {
    std::tm tm{};
    gmtime_r(&second, &tm);
    cached_length = std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = second;
  }
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms.count() % 1000));
  out.append(cached, cached_length);
  out.append(millis);
}

// Boost.JSON writes strings' bytes as they are, so a value holding invalid UTF-8 (a config
// file with stray bytes, a client's header) would make the line invalid JSON for every log
// reader. Each invalid byte becomes the escape of U+FFFD; escapes are ASCII, and invalid
// bytes can only occur inside strings, so the line stays well-formed.
void RepairUtf8(std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && static_cast<unsigned char>(line[i]) < 0x80) ++i;
  if (i == line.size()) return;  // the common case: ASCII only
  std::string out = line.substr(0, i);
  while (i < line.size()) {
    const std::size_t length = core::ValidUtf8SequenceLength(std::string_view(line).substr(i));
    if (length == 0) {
      out += "\\ufffd";
      ++i;
    } else {
      out.append(line, i, length);
      i += length;
    }
  }
  line = std::move(out);
}

// One write(2) per line: lines from several threads never interleave.
void WriteLine(const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to log to: drop the line rather than fail the request
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void SetMinimumLogLevel(LogLevel level) {
  minimum_level = static_cast<int>(level);
}

void Log(LogLevel level, std::string_view message, boost::json::object fields) {
  if (static_cast<int>(level) < minimum_level.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(256);
  line += R"({"ts":")";
  AppendUtcNow(line);
  line += R"(","level":")";
  line += LevelName(level);
  line += R"(","msg":)";
  line += boost::json::serialize(boost::json::string_view(message.data(), message.size()));
  // The fields follow in their own order; one named like a fixed key replaces it.
  const bool overrides =
      fields.contains("ts") || fields.contains("level") || fields.contains("msg");
  if (overrides) {
    boost::json::object merged;
    std::string ts;
    AppendUtcNow(ts);
    merged["ts"] = ts;
    merged["level"] = LevelName(level);
    merged["msg"] = message;
    for (auto& field : fields) merged[field.key()] = std::move(field.value());
    line = boost::json::serialize(merged);
  } else if (fields.empty()) {
    line += '}';
  } else {
    const std::string rest = boost::json::serialize(fields);  // "{...}"
    line += ',';
    line.append(rest, 1, std::string::npos);
  }
  RepairUtf8(line);
  line += '\n';
  WriteLine(line);
}

}  // namespace lanewise::telemetry
