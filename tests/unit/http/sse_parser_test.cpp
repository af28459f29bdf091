#include "http/sse_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace lanewise::http {
namespace {

std::vector<SseEvent> ParseAll(std::string_view bytes) {
  SseParser parser;
  std::vector<SseEvent> out;
  parser.Feed(bytes, out);
  return out;
}

TEST(SseParserTest, SingleEvents) {
  auto events = ParseAll("data: {\"a\":1}\n\ndata: [DONE]\n\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, "{\"a\":1}");
  EXPECT_EQ(events[1].data, "[DONE]");
}

TEST(SseParserTest, MultiLineDataIsJoinedWithNewlines) {
  auto events = ParseAll("data: first\ndata: second\ndata:third\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "first\nsecond\nthird");
}

TEST(SseParserTest, CommentsAndUnknownFieldsAreIgnored) {
  SseParser parser;
  std::vector<SseEvent> out;
  parser.Feed(": ping\n\n: keep-alive\nretry: 100\nfoo: bar\ndata: x\n\n", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "x");
  EXPECT_EQ(parser.comments_seen(), 2u);
}

TEST(SseParserTest, EventAndIdFields) {
  auto events = ParseAll("event: message_start\nid: 7\ndata: {}\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "message_start");
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[0].data, "{}");
}

TEST(SseParserTest, CrLfAndLoneCrLineEnds) {
  auto crlf = ParseAll("data: a\r\n\r\ndata: b\r\n\r\n");
  ASSERT_EQ(crlf.size(), 2u);
  EXPECT_EQ(crlf[1].data, "b");
  auto cr = ParseAll("data: a\r\rdata: b\r\r");
  ASSERT_EQ(cr.size(), 2u);
  EXPECT_EQ(cr[0].data, "a");
}

TEST(SseParserTest, EventWithoutBlankLineIsNotDispatched) {
  SseParser parser;
  std::vector<SseEvent> out;
  parser.Feed("data: complete\n\ndata: cut-off", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(parser.HasPartialEvent());
}

TEST(SseParserTest, BlankLinesWithoutDataDispatchNothing) {
  EXPECT_TRUE(ParseAll("\n\n\nevent: x\n\n").empty());
}

// Any split of the byte stream, including between CR and LF, gives the same events.
TEST(SseParserTest, ArbitrarySplitsGiveTheSameEvents) {
  const std::string stream =
      "data: {\"x\":\"h\\u00e9\"}\r\n\r\n: c\r\ndata: one\r\ndata: two\r\n\r\n"
      "event: e\ndata: three\n\ndata: [DONE]\n\n";
  const auto expected = ParseAll(stream);
  ASSERT_EQ(expected.size(), 4u);
  std::mt19937 rng(12345);
  for (int trial = 0; trial < 2000; ++trial) {
    SseParser parser;
    std::vector<SseEvent> out;
    std::size_t pos = 0;
    while (pos < stream.size()) {
      std::size_t n = std::uniform_int_distribution<std::size_t>(1, 7)(rng);
      parser.Feed(std::string_view(stream).substr(pos, n), out);
      pos += n;
    }
    ASSERT_EQ(out.size(), expected.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      EXPECT_EQ(out[i].data, expected[i].data);
      EXPECT_EQ(out[i].event, expected[i].event);
    }
  }
}

TEST(SseParserTest, AnEventOverTheBoundStopsTheParserInsteadOfGrowing) {
  SseParser parser(16);
  std::vector<SseEvent> out;
  parser.Feed("data: short\n\n", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(parser.overflowed());
  parser.Feed("data: ", out);
  for (int i = 0; i < 100; ++i) parser.Feed("xxxxxxxxxx", out);  // an endless line
  EXPECT_TRUE(parser.overflowed());
  parser.Feed("\n\ndata: next\n\n", out);
  EXPECT_EQ(out.size(), 1u);  // nothing after the overflow
  SseParser lines(16);
  lines.Feed("data: 0123456789\ndata: 0123456789\n", out);  // short lines, one big event
  EXPECT_TRUE(lines.overflowed());
}

TEST(SseEncodeTest, EncodesMultiLineData) {
  EXPECT_EQ(EncodeSseData("abc"), "data: abc\n\n");
  EXPECT_EQ(EncodeSseData("a\nb"), "data: a\ndata: b\n\n");
  auto roundtrip = ParseAll(EncodeSseData("x\ny\n"));
  ASSERT_EQ(roundtrip.size(), 1u);
  EXPECT_EQ(roundtrip[0].data, "x\ny\n");
}

}  // namespace
}  // namespace lanewise::http
