// NearWords: a cue word within a window before or after a span, at a word start, any case.
#include "inspect/context_words.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

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
