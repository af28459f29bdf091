// FindTextAnchors must report exactly the candidates Hyperscan reports for the bare URL,
// dotted MAC, e-mail and Italian fiscal code expressions (pattern_rules.cpp): checked against
// Hyperscan itself, on fixed texts and on many random ones made of the words and bytes those
// expressions turn on.
#include "inspect/text/text_anchors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "hyperscan_oracle.h"

namespace lanewise::inspect {
namespace {

std::set<Candidate> InCode(const std::string& text) {
  return FoundBy(FindTextAnchors, text);
}

TEST(TextAnchorsTest, CoversFourRules) {
  int covered = 0;
  for (const PatternRule& rule : BuiltinRules()) covered += MatchedAsTextAnchor(rule.rule) ? 1 : 0;
  EXPECT_EQ(covered, 4);
  EXPECT_TRUE(MatchedAsTextAnchor(Rule::kUrlBare));
  EXPECT_TRUE(MatchedAsTextAnchor(Rule::kEmail));
  EXPECT_TRUE(MatchedAsTextAnchor(Rule::kItFiscalCode));
  EXPECT_TRUE(MatchedAsTextAnchor(Rule::kMacDotted));
  EXPECT_FALSE(MatchedAsTextAnchor(Rule::kBirthCue));
  EXPECT_FALSE(MatchedAsTextAnchor(Rule::kUrlScheme));
}

TEST(TextAnchorsTest, MatchesHyperscanOnRealTexts) {
  const HyperscanOracle oracle(MatchedAsTextAnchor);
  const std::string texts[] = {
      "",
      ".",
      "@",
      "see example.com, www.example.CO.uk and shop.vlaanderen.",
      "not a domain: file.txt, v1.2, e.g. this, x.comm, a.co_ or a._com",
      "mail maria.gonzalez@example.com or a+b@x.io, %@y, -@z, _@q and @home, me@ ",
      "EXAMPLE.COM, Example.Org, x.Vlaanderen, a.b.c.de.fr, 1.io, _.io, a_.io",
      "a@b@c, a@@b, @@, x@-y, x@_y, x@\xC3\xA9, \xC3\xA9@x, x@Y",
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(InCode(text), oracle.Scan(text)) << text;
  }
}

// Every top-level domain of the bare URL expression, read from the expression itself (a
// domain added there and not in C++ fails here), in lower and upper case.
TEST(TextAnchorsTest, EveryDomainOfTheExpression) {
  const HyperscanOracle oracle(MatchedAsTextAnchor);
  const std::string expression = BuiltinRules()[BuiltinRuleIndex(Rule::kUrlBare)].expression;
  const std::size_t open = expression.find("(?:");
  const std::size_t close = expression.find(')', open);
  ASSERT_NE(open, std::string::npos);
  ASSERT_NE(close, std::string::npos);
  std::string domains = expression.substr(open + 3, close - open - 3);
  int checked = 0;
  for (std::size_t from = 0; from <= domains.size();) {
    const std::size_t bar = std::min(domains.find('|', from), domains.size());
    const std::string domain = domains.substr(from, bar - from);
    std::string upper = domain;
    for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
    for (const std::string& text :
         {"see x." + domain + " now", "X." + upper, "x." + domain + "s"}) {
      const auto expected = oracle.Scan(text);
      EXPECT_EQ(InCode(text), expected) << text;
    }
    EXPECT_FALSE(oracle.Scan("x." + domain).empty()) << domain;
    ++checked;
    from = bar + 1;
  }
  EXPECT_GT(checked, 50);
}

// Fiscal codes: sixteen-byte words from the code's alphabets with a few bytes that break
// them, some longer or shorter, glued to others or not.
TEST(TextAnchorsTest, MatchesHyperscanOnRandomFiscalCodes) {
  const HyperscanOracle oracle(MatchedAsTextAnchor);
  EXPECT_EQ(
      InCode("cf RSSMRA85T10A562S, RSSMRA85T10A562Sx xRSSMRA85T10A562S RSSMRALNT10A562S"),
      oracle.Scan("cf RSSMRA85T10A562S, RSSMRA85T10A562Sx xRSSMRA85T10A562S RSSMRALNT10A562S"));
  const std::string capitals = "ABCDEHLMPRSTXYZ";
  const std::string code_digits = "0123456789LMNPQRSTUV";
  const std::string breakers = "aI_9\xC3";
  const std::string separators = " .,-\n";
  Dice dice(20261204);
  int found = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int words = dice.Between(1, 3);
    for (int w = 0; w < words; ++w) {
      const int length = dice.Between(14, 18);
      for (int i = 0; i < length; ++i) {
        const bool digit_place = (i >= 6 && i <= 7) || (i >= 9 && i <= 10) || (i >= 12 && i <= 14);
        text += dice.Chance(3) ? dice.Pick(breakers)
                : digit_place  ? dice.Pick(code_digits)
                               : dice.Pick(capitals);
      }
      if (dice.Chance(85)) text += dice.Pick(separators);
    }
    ASSERT_TRUE(AgreesWithOracle(oracle, FindTextAnchors, text, found));
  }
  EXPECT_GT(found, 3000);
}

// Dotted MACs: hex digits, dots and a few bytes that break them.
TEST(TextAnchorsTest, MatchesHyperscanOnRandomDottedMacs) {
  const HyperscanOracle oracle(MatchedAsTextAnchor);
  const std::string fixed =
      "mac 0123.4567.89ab, face.beef.cafe.0123.4567 x0123.4567.89ab 0123.4567.89ab_";
  EXPECT_EQ(InCode(fixed), oracle.Scan(fixed));
  const std::string hex = "0123456789abcdefABCDEF";
  const std::string others = "..... x_-:G\n";
  Dice dice(20261205);
  int found = 0;
  for (int round = 0; round < 30000; ++round) {
    std::string text;
    const int n = dice.Between(0, 40);
    for (int i = 0; i < n; ++i) {
      // Dots mostly every fifth byte, as in a MAC.
      text += (i % 5 == 4) ? (dice.Chance(80) ? '.' : dice.Pick(others))
                           : (dice.Chance(5) ? dice.Pick(others) : dice.Pick(hex));
    }
    ASSERT_TRUE(AgreesWithOracle(oracle, FindTextAnchors, text, found));
  }
  EXPECT_GT(found, 5000);
}

TEST(TextAnchorsTest, MatchesHyperscanOnRandomTexts) {
  const HyperscanOracle oracle(MatchedAsTextAnchor);
  // Domains and near domains, in random case, joined by bytes that make or break the
  // expressions (dots, at signs, word bytes, NUL as between a request's strings).
  const std::vector<std::string> words = {
      "com",    "co", "org", "io",     "vlaanderen", "uk",      "comx", "c0m",  "info",
      "online", "x",  "a1",  "9",      "_",          "example", "mail", "user", "b2b",
      "de",     "d",  "o",   "webcam", "site",       "sites",   "ai",   "a",    "\xC3\xA9",
  };
  const std::string joiners(" ...@@_-+%\n\t,:/\0", 16);
  Dice dice(20261203);
  int with_candidates = 0;
  for (int round = 0; round < 30000; ++round) {
    std::string text;
    const std::size_t pieces = dice.Below(12);
    for (std::size_t p = 0; p < pieces; ++p) {
      std::string word = words[dice.Below(words.size())];
      for (char& c : word) {
        if (c >= 'a' && c <= 'z' && dice.Chance(25)) c = static_cast<char>(c - 'a' + 'A');
      }
      text += word;
      const std::size_t glue = dice.Below(3);  // none, one or two joining bytes
      for (std::size_t g = 0; g < glue; ++g) text += dice.Pick(joiners);
    }
    ASSERT_TRUE(AgreesWithOracle(oracle, FindTextAnchors, text, with_candidates));
  }
  EXPECT_GT(with_candidates, 6000);  // the texts do exercise the expressions
}

}  // namespace
}  // namespace lanewise::inspect
