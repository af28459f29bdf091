// JSON-lines logging: one JSON object per line on stderr, with a timestamp and a level.
// Thread-safe. Values are never raw prompt text: callers pass ids, names and numbers.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace lanewise::telemetry {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void SetMinimumLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view message, boost::json::object fields = {});

// One log line written field by field, without a DOM (the per-request line uses it).
// Keys are the caller's constants and never "ts", "level" or "msg"; string values are
// escaped and any invalid UTF-8 repaired, as Log does. Nothing is built when the level is
// below the minimum.
class LogLine {
 public:
  LogLine(LogLevel level, std::string_view message);
  bool enabled() const { return enabled_; }
  LogLine& Str(std::string_view key, std::string_view value);
  LogLine& Int(std::string_view key, long long value);
  LogLine& Num(std::string_view key, double value);
  // `value` rounded to `decimals` (0-9) places, trailing zeros dropped: cheaper than Num.
  LogLine& Fixed(std::string_view key, double value, int decimals);
  LogLine& Bool(std::string_view key, bool value);
  // `json` is one complete JSON value (an object or array built by the caller).
  LogLine& Json(std::string_view key, std::string_view json);
  // Starts a nested object or array as the value of `key` (key empty: an array element).
  LogLine& Open(std::string_view key, char bracket);
  LogLine& Close(char bracket);
  void Write();

 private:
  void Key(std::string_view key);
  std::string line_;
  bool enabled_ = false;
  bool first_ = true;  // no member yet in the innermost open object or array
};

// Lines written on an event-loop thread can be gathered and written together once per turn
// of its loop: `defer(flush)` schedules `flush` to run after the work already queued on the
// calling thread's loop (asio::post) and returns true, or returns false when the calling
// thread runs no loop (the line is then written at once). Set at start-up (other threads
// may log meanwhile).
// Gathered lines are also written when they pass 64 KB, by FlushThreadLog, and when their
// thread ends: none is lost at shutdown.
using LogDeferral = bool (*)(void (*flush)());
void SetLogDeferral(LogDeferral defer);
// Writes what the calling thread has gathered.
void FlushThreadLog();

// Appends `value` as a JSON string (quoted, escaped); bytes are copied as they are.
void AppendJsonString(std::string& out, std::string_view value);
// Appends `value` as a JSON number (shortest form that reads back the same; 0 for NaN or
// infinities, which JSON cannot hold).
void AppendJsonNumber(std::string& out, double value);
// `value` rounded to `decimals` (0-9) places, without trailing zeros ("1.5", "-0.25", "3").
void AppendFixedNumber(std::string& out, double value, int decimals);

}  // namespace lanewise::telemetry
