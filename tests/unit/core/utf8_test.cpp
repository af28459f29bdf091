// UTF-8 validation, one sequence at a time.
#include "core/utf8.h"

#include <gtest/gtest.h>

namespace lanewise::core {
namespace {

TEST(Utf8Test, ValidSequencesAndTheirLengths) {
  EXPECT_EQ(ValidUtf8SequenceLength("a"), 1u);
  EXPECT_EQ(ValidUtf8SequenceLength("\xC3\xA9x"), 2u);         // é
  EXPECT_EQ(ValidUtf8SequenceLength("\xE2\x82\xAC"), 3u);      // €
  EXPECT_EQ(ValidUtf8SequenceLength("\xF0\x9F\x98\x80"), 4u);  // 😀
  EXPECT_EQ(ValidUtf8SequenceLength("\xF4\x8F\xBF\xBF"), 4u);  // U+10FFFF
}

TEST(Utf8Test, InvalidSequencesAreZero) {
  EXPECT_EQ(ValidUtf8SequenceLength(""), 0u);
  EXPECT_EQ(ValidUtf8SequenceLength("\x80"), 0u);              // lone continuation
  EXPECT_EQ(ValidUtf8SequenceLength("\xC0\xAF"), 0u);          // overlong
  EXPECT_EQ(ValidUtf8SequenceLength("\xE0\x80\xAF"), 0u);      // overlong
  EXPECT_EQ(ValidUtf8SequenceLength("\xED\xA0\x80"), 0u);      // surrogate
  EXPECT_EQ(ValidUtf8SequenceLength("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(ValidUtf8SequenceLength("\xE2\x82"), 0u);          // cut short
  EXPECT_EQ(ValidUtf8SequenceLength("\xC3("), 0u);             // bad continuation
}

}  // namespace
}  // namespace lanewise::core
