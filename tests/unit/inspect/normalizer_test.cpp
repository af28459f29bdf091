// Normalisation and the offset map back to the original bytes.
#include "inspect/text/normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lanewise::inspect {
namespace {

std::string Original(const NormalizedText& n, std::size_t start, std::size_t end) {
  const auto [a, b] = n.ToOriginal(start, end);
  return std::string(n.original().substr(a, b - a));
}

TEST(NormalizerTest, AsciiIsIdentity) {
  const std::string text = "card 4111 1111 1111 1111";
  const NormalizedText n = Normalize(text);
  EXPECT_TRUE(n.identity());
  EXPECT_EQ(n.text(), text);
  EXPECT_EQ(n.ToOriginal(5, 9), std::make_pair(std::size_t{5}, std::size_t{9}));
}

TEST(NormalizerTest, FullWidthDigitsBecomeAscii) {
  const std::string text = "tel \xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x92";  // ０１２
  const NormalizedText n = Normalize(text);
  EXPECT_EQ(n.text(), "tel 012");
  EXPECT_EQ(Original(n, 4, 7), "\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x92");
  EXPECT_EQ(Original(n, 5, 6), "\xEF\xBC\x91");
}

TEST(NormalizerTest, FormatCharactersDropped) {
  // ZERO WIDTH SPACE, SOFT HYPHEN, ZERO WIDTH JOINER, WORD JOINER, BOM inside digits.
  const std::string text =
      "41\xE2\x80\x8B"
      "11\xC2\xAD"
      "22\xE2\x80\x8D"
      "33\xE2\x81\xA0"
      "44\xEF\xBB\xBF"
      "5";
  const NormalizedText n = Normalize(text);
  EXPECT_EQ(n.text(), "41112233445");
  EXPECT_EQ(Original(n, 0, n.text().size()), text);
  EXPECT_EQ(Original(n, 2, 4), "11");
}

TEST(NormalizerTest, HiddenBreaksMarkRemovedFormatCharacters) {
  // "4111<ZWSP>1111 1111": one break at 4; two format characters in a row make one break.
  const std::string text =
      "4111\xE2\x80\x8B"
      "1111 11\xE2\x80\x8B\xE2\x80\x8D"
      "11";
  const NormalizedText n = Normalize(text);
  EXPECT_EQ(n.text(), "41111111 1111");
  EXPECT_EQ(n.hidden_breaks(), (std::vector<std::uint32_t>{4, 11}));
  EXPECT_EQ(Original(n, 0, n.text().size()), text);
  EXPECT_TRUE(Normalize("4111 1111").hidden_breaks().empty());
  EXPECT_TRUE(Normalize("caf\xC3\xA9 4111").hidden_breaks().empty());
}

TEST(NormalizerTest, SpacesDashesAndOtherScriptDigits) {
  // NBSP, NARROW NBSP, IDEOGRAPHIC SPACE, EN DASH, MINUS SIGN, Arabic-Indic and
  // Devanagari digits.
  const std::string text =
      "a\xC2\xA0"
      "b\xE2\x80\xAF"
      "c\xE3\x80\x80"
      "d\xE2\x80\x93"
      "e\xE2\x88\x92"
      "f \xD9\xA3\xD9\xA4 \xE0\xA5\xAD";
  const NormalizedText n = Normalize(text);
  EXPECT_EQ(n.text(), "a b c d-e-f 34 7");
}

TEST(NormalizerTest, NfkcCompositionAndLigatures) {
  const std::string text = "e\xCC\x81t\xC3\xA9 \xEF\xAC\x81le \xE2\x91\xA0";  // e+◌́ té ﬁle ①
  const NormalizedText n = Normalize(text);
  EXPECT_EQ(n.text(), "\xC3\xA9t\xC3\xA9 file 1");
  EXPECT_EQ(Original(n, 0, 2), "e\xCC\x81");  // composed é maps to both code points
  const std::size_t fi = n.text().find("fi");
  EXPECT_EQ(Original(n, fi, fi + 1), "\xEF\xAC\x81");  // a piece of a ligature: the whole
}

TEST(NormalizerTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string text =
      "a\xFF\xFE"
      "b";
  const NormalizedText n = Normalize(text);
  EXPECT_EQ(n.text(),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Original(n, 7, 8), "b");
}

// JSON escapes written in a text (a tool call's arguments) read as what they stand for,
// and a span maps back to the whole escape sequence.
TEST(NormalizerTest, JsonEscapesAreDecoded) {
  const std::string text = R"(DE\uff17\uff12 577\u00a047 \u0034\u0031 a\"b \\ \ud83d\ude00!)";
  const NormalizedText n = Normalize(text);
  EXPECT_FALSE(n.identity());
  EXPECT_EQ(n.text(), "DE72 577 47 41 a\"b \\ \xF0\x9F\x98\x80!");
  EXPECT_EQ(Original(n, 2, 4), R"(\uff17\uff12)");
  EXPECT_EQ(Original(n, 8, 9), R"(\u00a0)");
  EXPECT_EQ(Original(n, 12, 14), R"(\u0034\u0031)");
  // A zero-width space written as an escape is a hidden break like the character itself.
  const NormalizedText zw = Normalize(R"(4111\u200b1111)");
  EXPECT_EQ(zw.text(), "41111111");
  EXPECT_EQ(zw.hidden_breaks(), (std::vector<std::uint32_t>{4}));
  // Not an escape: left as it is.
  EXPECT_EQ(Normalize(R"(C:\x \u12 \)").text(), R"(C:\x \u12 \)");
}

}  // namespace
}  // namespace lanewise::inspect
