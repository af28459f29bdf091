// FindTextAnchors must report exactly the candidates Hyperscan reports for the bare URL
// and e-mail expressions (pattern_rules.cpp): checked against Hyperscan itself,
// on fixed texts and on many random ones made of the words and bytes those expressions
// turn on.
#include "inspect/text_anchors.h"

#include <gtest/gtest.h>

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

TEST(TextAnchorsTest, CoversTwoRules) {
  int covered = 0;
  for (const PatternRule& rule : BuiltinRules()) covered += MatchedAsTextAnchor(rule.rule) ? 1 : 0;
  EXPECT_EQ(covered, 2);
  EXPECT_TRUE(MatchedAsTextAnchor(Rule::kUrlBare));
  EXPECT_TRUE(MatchedAsTextAnchor(Rule::kEmail));
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
  std::mt19937 random(20261203);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  int with_candidates = 0;
  for (int round = 0; round < 30000; ++round) {
    std::string text;
    const std::size_t pieces = pick(12);
    for (std::size_t p = 0; p < pieces; ++p) {
      std::string word = words[pick(words.size())];
      for (char& c : word) {
        if (c >= 'a' && c <= 'z' && pick(4) == 0) c = static_cast<char>(c - 'a' + 'A');
      }
      text += word;
      const std::size_t glue = pick(3);  // none, one or two joining bytes
      for (std::size_t g = 0; g < glue; ++g) text += joiners[pick(joiners.size())];
    }
    const auto expected = oracle.Scan(text);
    ASSERT_EQ(InCode(text), expected) << "text: \"" << text << "\"";
    with_candidates += expected.empty() ? 0 : 1;
  }
  EXPECT_GT(with_candidates, 6000);  // the texts do exercise the expressions
}

}  // namespace
}  // namespace lanewise::inspect
