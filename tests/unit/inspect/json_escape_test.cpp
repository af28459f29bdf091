// JSON escape sequences, decoded one at a time (shared by the normaliser and the redactor).
#include "inspect/text/json_escape.h"

#include <gtest/gtest.h>

#include <string>

namespace lanewise::inspect {
namespace {

std::string Decoded(std::string_view text) {
  const JsonEscape escape = JsonEscapeAt(text, 0);
  std::string out;
  if (escape.length > 0) AppendUtf8(out, escape.code_point);
  return out + "/" + std::to_string(escape.length);
}

TEST(JsonEscapeTest, ShortEscapes) {
  EXPECT_EQ(Decoded(R"(\n)"), "\n/2");
  EXPECT_EQ(Decoded(R"(\")"), "\"/2");
  EXPECT_EQ(Decoded(R"(\\)"), "\\/2");
  EXPECT_EQ(Decoded(R"(\/)"), "//2");
  EXPECT_EQ(Decoded(R"(\t)"), "\t/2");
}

TEST(JsonEscapeTest, UnicodeEscapesInEitherCase) {
  EXPECT_EQ(Decoded(R"(\u0034)"), "4/6");
  EXPECT_EQ(Decoded(R"(\u00A0)"), "\xC2\xA0/6");
  EXPECT_EQ(Decoded(R"(\uff17)"), "\xEF\xBC\x97/6");  // full-width 7
}

TEST(JsonEscapeTest, SurrogatePairsAndLoneSurrogates) {
  EXPECT_EQ(Decoded(R"(\ud83d\ude00)"), "\xF0\x9F\x98\x80/12");
  EXPECT_EQ(Decoded(R"(\ud83dx)"), "\xEF\xBF\xBD/6");  // high without low
  EXPECT_EQ(Decoded(R"(\ude00)"), "\xEF\xBF\xBD/6");   // low alone
}

TEST(JsonEscapeTest, NotAnEscape) {
  EXPECT_EQ(Decoded("a"), "/0");
  EXPECT_EQ(Decoded(R"(\)"), "/0");       // backslash at the end
  EXPECT_EQ(Decoded(R"(\x41)"), "/0");    // not a JSON escape
  EXPECT_EQ(Decoded(R"(\u12g4)"), "/0");  // not hex
  EXPECT_EQ(Decoded(R"(\u12)"), "/0");    // cut short
  EXPECT_EQ(JsonEscapeAt("ab\\n", 2).length, 2u);
}

}  // namespace
}  // namespace lanewise::inspect
