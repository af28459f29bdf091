// The audit payloads' writer: whatever the strings hold, the text parses back to the same
// values; literal keys (copied as they are) and keys from the data (escaped) give the same
// text.
#include "audit/json_text.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <charconv>
#include <cmath>
#include <limits>

namespace lanewise::audit {
namespace {

TEST(JsonTextTest, LiteralAndDataKeysWriteTheSameText) {
  const std::string data_key = "model";
  JsonText literal;
  literal.BeginObject().Key("model").String("m").Key("n").Int(1).EndObject();
  JsonText data;
  data.BeginObject().Key(data_key).String("m").Key(std::string_view("n")).Int(1).EndObject();
  EXPECT_EQ(literal.text(), R"({"model":"m","n":1})");
  EXPECT_EQ(data.text(), literal.text());
}

TEST(JsonTextTest, DataKeysAndStringsAreEscaped) {
  const std::string key = "we\"ird\\key\n";
  const std::string value = std::string("quote \" backslash \\ tab \t nul ") + '\0' + " é";
  JsonText j;
  j.BeginObject().Key(key).String(value).Key("list").BeginArray();
  j.String("a").Double(0.5).Bool(false).EndArray().EndObject();
  const boost::json::value parsed = boost::json::parse(j.text());
  EXPECT_EQ(parsed.at(key).as_string(), value);
  EXPECT_EQ(parsed.at("list").as_array().size(), 3u);
}

TEST(JsonTextTest, InvalidUtf8BecomesTheReplacementCharacter) {
  JsonText j;
  j.BeginObject().Key(std::string("k\xff")).String("a\xc3").EndObject();
  EXPECT_EQ(j.text(), R"({"k\ufffd":"a\ufffd"})");
  const boost::json::value parsed = boost::json::parse(j.text());
  EXPECT_EQ(parsed.at("k\xef\xbf\xbd").as_string(), "a\xef\xbf\xbd");
}

TEST(JsonTextTest, DoublesAreWrittenInTheirShortestForm) {
  // Whole numbers take a shortcut; the text is std::to_chars' either way.
  for (const double value : {0.0, -0.0, 1.0, -1.0, 42.0, 99999.0, 100000.0, 1e6, 1e15, 0.5, 0.0021,
                             6.767886, -3.25, 1e-7, 123456789.0}) {
    char expected[32];
    const auto end = std::to_chars(expected, expected + sizeof expected, value).ptr;
    JsonText j;
    j.Double(value);
    EXPECT_EQ(j.text(), std::string(expected, end)) << value;
  }
  JsonText j;
  j.BeginArray().Double(std::nan("")).Double(std::numeric_limits<double>::infinity()).EndArray();
  EXPECT_EQ(j.text(), "[null,null]");
}

}  // namespace
}  // namespace lanewise::audit
