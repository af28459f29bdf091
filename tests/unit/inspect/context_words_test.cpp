// NearWords: a cue word within a window before or after a span, at a word start, any case.
#include "inspect/text/context_words.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace lanewise::inspect {
namespace {

TEST(ContextWordsTest, CueAtWordStartBeforeOrAfter) {
  const std::string text = "Call my Mobile: 0171 234567, thanks";
  const std::size_t start = text.find("0171");
  const std::size_t end = start + 11;
  EXPECT_TRUE(NearWords(text, start, end, {"mobile"}, 40, 0));
  EXPECT_TRUE(NearWords(text, start, end, {"call"}, 40, 0));
  EXPECT_FALSE(NearWords(text, start, end, {"obile"}, 40, 0));   // not at a word start
  EXPECT_FALSE(NearWords(text, start, end, {"thanks"}, 40, 0));  // after: window of 0
  EXPECT_TRUE(NearWords(text, start, end, {"thanks"}, 40, 10));
  EXPECT_FALSE(NearWords(text, start, end, {"call"}, 10, 0));         // too far before
  EXPECT_TRUE(NearWords(text, start, end, {": 0"}, 40, 0) == false);  // span is not window
  EXPECT_TRUE(NearWords("ss# 078-05-1120", 4, 15, {"ss #", "ss#"}, 48));
  EXPECT_TRUE(NearWords("x#ref 12345678", 6, 14, {"#ref"}, 48));  // cue starting with '#'
}

// A prepared list answers as the list given at the call, for cues past the 64th too.
TEST(ContextWordsTest, PreparedListOfManyCues) {
  std::vector<std::string> words;
  for (int i = 0; i < 70; ++i) words.push_back("cue" + std::to_string(i) + "x");
  const CueList many{words[0],  words[1],  words[2],  words[3],  words[4],  words[5],  words[6],
                     words[7],  words[8],  words[9],  words[10], words[11], words[12], words[13],
                     words[14], words[15], words[16], words[17], words[18], words[19], words[20],
                     words[21], words[22], words[23], words[24], words[25], words[26], words[27],
                     words[28], words[29], words[30], words[31], words[32], words[33], words[34],
                     words[35], words[36], words[37], words[38], words[39], words[40], words[41],
                     words[42], words[43], words[44], words[45], words[46], words[47], words[48],
                     words[49], words[50], words[51], words[52], words[53], words[54], words[55],
                     words[56], words[57], words[58], words[59], words[60], words[61], words[62],
                     words[63], words[64], words[65], words[66], words[67], words[68], words[69]};
  for (int i : {0, 5, 63, 64, 69}) {
    const std::string text = "see Cue" + std::to_string(i) + "X: 12345";
    EXPECT_TRUE(many.Near(text, text.size() - 5, text.size(), 40)) << text;
    EXPECT_FALSE(many.Near("x" + text, text.size() - 4, text.size() + 1, 4)) << text;
  }
  EXPECT_FALSE(many.Near("see cue70x: 12345", 12, 17, 40));
  EXPECT_FALSE(many.Near("see acue5x: 12345", 12, 17, 40));  // not at a word start
}

// A cue longer than eight bytes counts only when it ends inside the window.
TEST(ContextWordsTest, LongCueMustFitTheWindow) {
  const CueList cues{"national insurance"};
  const std::string text = "AB123456C national insurance";
  EXPECT_TRUE(cues.Near(text, 0, 9, 0, 40));
  EXPECT_FALSE(cues.Near(text, 0, 9, 0, 15));  // the window ends inside the cue
  EXPECT_FALSE(cues.Near(text, 0, 9, 0, 18));
  EXPECT_TRUE(cues.Near(text, 0, 9, 0, 19));
  const std::string before = "national insurance AB123456C";
  EXPECT_TRUE(cues.Near(before, 19, 28, 40));
  EXPECT_FALSE(cues.Near(before, 13, 28, 40));  // the span starts inside the cue
}

// The reference: every occurrence of every cue, found with find(), counts when it starts
// the window, follows a non-word byte, or the cue itself starts with a non-word byte.
bool Reference(std::string_view text, std::size_t start, std::size_t end,
               std::initializer_list<std::string_view> words, std::size_t before,
               std::size_t after) {
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  const std::size_t from = start > before ? start - before : 0;
  const std::size_t left = std::min<std::size_t>(start - from, 255);
  const std::size_t right =
      end < text.size() ? std::min<std::size_t>({after, text.size() - end, 255}) : 0;
  std::string window;
  for (std::size_t i = start - left; i < start; ++i) window += lower(text[i]);
  window += '\0';
  for (std::size_t i = end; i < end + right; ++i) window += lower(text[i]);
  for (std::string_view word : words) {
    for (std::size_t at = window.find(word); at != std::string::npos;
         at = window.find(word, at + 1)) {
      if (at == 0 || !is_word(window[at - 1]) || !is_word(word[0])) return true;
    }
  }
  return false;
}

TEST(ContextWordsTest, AgreesWithFindingEveryOccurrence) {
  std::mt19937 random(20261202);
  const std::string alphabet = "telphonTELPHON #:-.é12";
  int agreed_true = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int n = std::uniform_int_distribution<int>(0, 80)(random);
    for (int i = 0; i < n; ++i) {
      text += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(random)];
    }
    const std::size_t start = std::uniform_int_distribution<std::size_t>(0, text.size())(random);
    const std::size_t end = std::uniform_int_distribution<std::size_t>(start, text.size())(random);
    const std::size_t before = std::uniform_int_distribution<std::size_t>(0, 60)(random);
    const std::size_t after = std::uniform_int_distribution<std::size_t>(0, 30)(random);
    const bool expected =
        Reference(text, start, end, {"tel", "phone", "# 1", ":-", "tél"}, before, after);
    ASSERT_EQ(NearWords(text, start, end, {"tel", "phone", "# 1", ":-", "tél"}, before, after),
              expected)
        << "text '" << text << "' span " << start << "-" << end << " before " << before << " after "
        << after;
    agreed_true += expected ? 1 : 0;
  }
  EXPECT_GT(agreed_true, 500);
}

}  // namespace
}  // namespace lanewise::inspect
