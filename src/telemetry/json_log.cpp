#include "telemetry/json_log.h"

#include "core/utf8.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
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
  // The common case is ASCII only: checked eight bytes at a time.
  for (; i + 8 <= line.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, line.data() + i, sizeof word);
    if ((word & 0x8080808080808080ULL) != 0) break;
  }
  while (i < line.size() && static_cast<unsigned char>(line[i]) < 0x80) ++i;
  if (i == line.size()) return;
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

// {"ts":"...","level":"...","msg":"..." (the object stays open for the fields).
void AppendLineHead(std::string& line, LogLevel level, std::string_view message) {
  line += R"({"ts":")";
  AppendUtcNow(line);
  line += R"(","level":")";
  line += LevelName(level);
  line += R"(","msg":)";
  AppendJsonString(line, message);
}

// Atomic: other threads (the audit writer) may already log when it is set.
std::atomic<LogDeferral> log_deferral{nullptr};
constexpr std::size_t kMostGatheredBytes = 64 * 1024;

// The lines one thread has gathered; written when the thread ends, whatever happened.
struct GatheredLines {
  std::string bytes;
  bool flush_scheduled = false;
  ~GatheredLines() {
    if (!bytes.empty()) WriteLine(bytes);
  }
};
thread_local GatheredLines gathered;

// One line, or several gathered: one write(2) either way.
void Emit(const std::string& line) {
  const LogDeferral defer = log_deferral.load(std::memory_order_acquire);
  if (defer == nullptr) {
    WriteLine(line);
    return;
  }
  gathered.bytes += line;
  if (gathered.bytes.size() >= kMostGatheredBytes) {
    FlushThreadLog();
    return;
  }
  if (!gathered.flush_scheduled) {
    gathered.flush_scheduled = defer(&FlushThreadLog);
    if (!gathered.flush_scheduled) FlushThreadLog();
  }
}

}  // namespace

void SetLogDeferral(LogDeferral defer) {
  log_deferral.store(defer, std::memory_order_release);
}

void FlushThreadLog() {
  gathered.flush_scheduled = false;
  if (gathered.bytes.empty()) return;
  WriteLine(gathered.bytes);
  gathered.bytes.clear();
}

void SetMinimumLogLevel(LogLevel level) {
  minimum_level = static_cast<int>(level);
}

void Log(LogLevel level, std::string_view message, boost::json::object fields) {
  if (static_cast<int>(level) < minimum_level.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(256);
  AppendLineHead(line, level, message);
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
  Emit(line);
}

namespace {

// Bytes a JSON string cannot hold as they are: controls, the quote and the backslash.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}();

}  // namespace

void AppendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(value.data());
  const auto* const end = p + value.size();
  while (p < end) {
    const unsigned char* run = p;
    while (p < end && !kNeedsEscape[*p]) ++p;
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    if (p == end) break;
    const unsigned char c = *p++;
    char escaped[6] = {'\\', static_cast<char>(c), 0, 0, 0, 0};
    std::size_t length = 2;
    if (c == '\n') {
      escaped[1] = 'n';
    } else if (c == '\r') {
      escaped[1] = 'r';
    } else if (c == '\t') {
      escaped[1] = 't';
    } else if (c < 0x20) {
      escaped[1] = 'u';
      escaped[2] = '0';
      escaped[3] = '0';
      escaped[4] = kHex[c >> 4];
      escaped[5] = kHex[c & 0xf];
      length = 6;
    }
    out.append(escaped, length);
  }
  out.push_back('"');
}

void AppendJsonNumber(std::string& out, double value) {
  if (!std::isfinite(value)) value = 0;
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void AppendFixedNumber(std::string& out, double value, int decimals) {
  static constexpr double kScale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  decimals = std::clamp(decimals, 0, 9);
  if (!std::isfinite(value)) value = 0;
  const double scaled = std::round(std::fabs(value) * kScale[decimals]);
  if (scaled >= 9e15) {  // past what an integer holds exactly: the general form
    AppendJsonNumber(out, value);
    return;
  }
  auto units = static_cast<std::uint64_t>(scaled);
  char digits[24];
  int n = 0;
  do {  // the digits, least significant first
    digits[n++] = static_cast<char>('0' + units % 10);
    units /= 10;
  } while (units > 0 || n <= decimals);
  int keep = 0;  // trailing zeros of the fraction are not written
  while (keep < decimals && digits[keep] == '0') ++keep;
  if (value < 0 && scaled > 0) out.push_back('-');
  for (int i = n - 1; i >= decimals; --i) out.push_back(digits[i]);
  if (keep < decimals) {
    out.push_back('.');
    for (int i = decimals - 1; i >= keep; --i) out.push_back(digits[i]);
  }
}

LogLine::LogLine(LogLevel level, std::string_view message)
    : enabled_(static_cast<int>(level) >= minimum_level.load(std::memory_order_relaxed)) {
  if (!enabled_) return;
  line_.reserve(512);
  AppendLineHead(line_, level, message);
  first_ = false;
}

void LogLine::Key(std::string_view key) {
  if (!first_) line_.push_back(',');
  first_ = false;
  if (key.empty()) return;  // an array element
  if (std::all_of(key.begin(), key.end(),
                  [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) {
    line_.push_back('"');  // the usual constant key: nothing to escape
    line_.append(key);
    line_.append("\":", 2);
  } else {
    AppendJsonString(line_, key);
    line_.push_back(':');
  }
}

LogLine& LogLine::Str(std::string_view key, std::string_view value) {
  if (!enabled_) return *this;
  Key(key);
  AppendJsonString(line_, value);
  return *this;
}

LogLine& LogLine::Int(std::string_view key, long long value) {
  if (!enabled_) return *this;
  Key(key);
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  line_.append(buffer, result.ptr);
  return *this;
}

LogLine& LogLine::Num(std::string_view key, double value) {
  if (!enabled_) return *this;
  Key(key);
  AppendJsonNumber(line_, value);
  return *this;
}

LogLine& LogLine::Fixed(std::string_view key, double value, int decimals) {
  if (!enabled_) return *this;
  Key(key);
  AppendFixedNumber(line_, value, decimals);
  return *this;
}

LogLine& LogLine::Bool(std::string_view key, bool value) {
  if (!enabled_) return *this;
  Key(key);
  line_ += value ? "true" : "false";
  return *this;
}

LogLine& LogLine::Json(std::string_view key, std::string_view json) {
  if (!enabled_) return *this;
  Key(key);
  line_.append(json);
  return *this;
}

LogLine& LogLine::Open(std::string_view key, char bracket) {
  if (!enabled_) return *this;
  Key(key);
  line_.push_back(bracket);
  first_ = true;
  return *this;
}

LogLine& LogLine::Close(char bracket) {
  if (!enabled_) return *this;
  line_.push_back(bracket);
  first_ = false;
  return *this;
}

void LogLine::Write() {
  if (!enabled_) return;
  enabled_ = false;  // written once
  line_ += "}\n";
  RepairUtf8(line_);
  Emit(line_);
}

}  // namespace lanewise::telemetry
