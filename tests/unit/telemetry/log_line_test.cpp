#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>

#include "telemetry/json_log.h"

namespace lanewise::telemetry {
namespace {

namespace json = boost::json;

// What `write` puts on stderr, captured through a temporary file.
template <typename Write>
std::string CaptureStderr(Write write) {
  std::FILE* file = std::tmpfile();
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(file), STDERR_FILENO);
  write();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::string out;
  std::rewind(file);
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) out.append(buffer, n);
  std::fclose(file);
  return out;
}

TEST(LogLineTest, WritesOneJsonLineWithNestedParts) {
  const std::string text = CaptureStderr([] {
    LogLine line(LogLevel::kInfo, "request");
    line.Str("request_id", "req_1").Int("status", 200).Num("duration_ms", 1.25);
    line.Bool("stream", true).Num("difficulty", -1);
    line.Open("attempts", '[');
    for (int i = 0; i < 2; ++i) {
      line.Open("", '{').Str("lane", i == 0 ? "local" : "cloud");
      line.Open("redacted", '{').Int("PERSON", 2).Close('}');
      line.Close('}');
    }
    line.Close(']');
    line.Open("empty", '{').Close('}');
    line.Write();
  });
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);  // exactly one line
  json::value v = json::parse(text);
  EXPECT_EQ(v.at("msg"), "request");
  EXPECT_EQ(v.at("level"), "info");
  EXPECT_EQ(v.at("status"), 200);
  EXPECT_EQ(v.at("duration_ms").as_double(), 1.25);
  EXPECT_EQ(v.at("stream"), true);
  EXPECT_EQ(v.at("attempts").as_array().size(), 2u);
  EXPECT_EQ(v.at("attempts").at(1).at("lane"), "cloud");
  EXPECT_EQ(v.at("attempts").at(0).at("redacted").at("PERSON"), 2);
  EXPECT_TRUE(v.at("empty").as_object().empty());
}

TEST(LogLineTest, EscapesAndRepairsEveryStringAndKeepsNumbersValid) {
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string value;
    const int n = static_cast<int>(rng() % 24);
    for (int k = 0; k < n; ++k) value.push_back(static_cast<char>(rng() % 256));
    const double number = i % 3 == 0 ? std::numeric_limits<double>::infinity()
                                     : static_cast<double>(static_cast<int>(rng())) / 7.0;
    const std::string text = CaptureStderr(
        [&] { LogLine(LogLevel::kWarn, value).Str("v", value).Num("n", number).Write(); });
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    ASSERT_FALSE(ec) << text;
    // ASCII values come back exactly; others at least parse (invalid bytes become U+FFFD).
    bool ascii = true;
    for (char c : value) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      EXPECT_EQ(v.at("v").as_string(), value);
      EXPECT_EQ(v.at("msg").as_string(), value);
    }
    if (std::isfinite(number)) {
      // Read back with strtod (Boost.JSON's own number parsing is not exact to the bit).
      const std::size_t at = text.rfind("\"n\":");
      ASSERT_NE(at, std::string::npos);
      EXPECT_EQ(std::strtod(text.c_str() + at + 4, nullptr), number) << text;
    } else {
      EXPECT_EQ(v.at("n").to_number<double>(), 0.0);
    }
  }
}

TEST(LogLineTest, FixedNumbersRoundAndDropTrailingZeros) {
  auto fixed = [](double value, int decimals) {
    std::string out;
    AppendFixedNumber(out, value, decimals);
    return out;
  };
  EXPECT_EQ(fixed(1.5, 3), "1.5");
  EXPECT_EQ(fixed(-0.25, 6), "-0.25");
  EXPECT_EQ(fixed(3, 3), "3");
  EXPECT_EQ(fixed(0, 9), "0");
  EXPECT_EQ(fixed(-0.0001, 3), "0");  // rounds to zero: no "-0"
  EXPECT_EQ(fixed(0.0000153, 9), "0.0000153");
  EXPECT_EQ(fixed(2.0005, 3), "2.001");
  EXPECT_EQ(fixed(std::nan(""), 3), "0");
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> any(-1e6, 1e6);
  for (int i = 0; i < 20000; ++i) {
    const double value = i % 2 ? any(rng) : any(rng) * 1e-6;
    const int decimals = static_cast<int>(rng() % 10);
    const std::string text = fixed(value, decimals);
    char* end = nullptr;
    const double back = std::strtod(text.c_str(), &end);
    ASSERT_EQ(*end, '\0') << text;
    EXPECT_LE(std::fabs(back - value), 0.5 * std::pow(10.0, -decimals) * (1 + 1e-9) + 1e-9)
        << value << " " << decimals << " " << text;
    EXPECT_NE(text.back(), '.');
    if (text.find('.') != std::string::npos) {
      EXPECT_NE(text.back(), '0') << text;
    }
  }
}

void (*g_scheduled)() = nullptr;
int g_deferrals = 0;

TEST(LogLineTest, DeferredLinesAreWrittenTogetherWhenTheLoopFlushes) {
  SetLogDeferral([](void (*flush)()) {
    ++g_deferrals;
    g_scheduled = flush;
    return true;
  });
  const std::string held = CaptureStderr([] {
    LogLine(LogLevel::kInfo, "one").Int("n", 1).Write();
    Log(LogLevel::kWarn, "two");
    LogLine(LogLevel::kInfo, "three").Write();
  });
  EXPECT_TRUE(held.empty()) << held;  // gathered, not written yet
  ASSERT_NE(g_scheduled, nullptr);
  EXPECT_EQ(g_deferrals, 1);  // one flush scheduled for the three lines
  const std::string text = CaptureStderr([] { g_scheduled(); });
  SetLogDeferral(nullptr);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_LT(text.find("\"one\""), text.find("\"two\""));
  EXPECT_LT(text.find("\"two\""), text.find("\"three\""));
}

TEST(LogLineTest, DeferredLinesAreNotHeldWithoutALoopOrPast64KB) {
  SetLogDeferral([](void (*)()) { return false; });  // this thread runs no loop
  std::string text = CaptureStderr([] { LogLine(LogLevel::kInfo, "now").Write(); });
  EXPECT_NE(text.find("\"now\""), std::string::npos);
  SetLogDeferral([](void (*)()) { return true; });  // a flush that never comes
  const std::string big(1000, 'x');
  text = CaptureStderr([&] {
    for (int i = 0; i < 80; ++i) LogLine(LogLevel::kInfo, "big").Str("v", big).Write();
  });
  EXPECT_GE(text.size(), 64u * 1024);  // written once the gathered lines passed 64 KB
  text = CaptureStderr([] { FlushThreadLog(); });
  SetLogDeferral(nullptr);
  EXPECT_NE(text.find("\"big\""), std::string::npos);  // the rest, on request
}

TEST(LogLineTest, WritesNothingBelowTheMinimumLevel) {
  SetMinimumLogLevel(LogLevel::kWarn);
  const std::string text = CaptureStderr([] {
    LogLine line(LogLevel::kInfo, "request");
    EXPECT_FALSE(line.enabled());
    line.Str("a", "b").Write();
  });
  SetMinimumLogLevel(LogLevel::kInfo);
  EXPECT_TRUE(text.empty());
}

}  // namespace
}  // namespace lanewise::telemetry
