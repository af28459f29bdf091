// FindDigitShapes must report exactly the candidates Hyperscan reports for the rules'
// expressions (pattern_rules.cpp): checked against Hyperscan itself, on fixed texts and
// on many random ones made of digits, separators and letters.
#include "inspect/text/digit_shapes.h"

#include "hyperscan_oracle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace lanewise::inspect {
namespace {

std::set<Candidate> InCode(const std::string& text) {
  return FoundBy(FindDigitShapes, text);
}

TEST(DigitShapesTest, CoversTwelveRules) {
  int covered = 0;
  for (const PatternRule& rule : BuiltinRules()) covered += MatchedAsDigitShape(rule.rule) ? 1 : 0;
  EXPECT_EQ(covered, 12);
  EXPECT_TRUE(MatchedAsDigitShape(Rule::kCard));
  EXPECT_TRUE(MatchedAsDigitShape(Rule::kPhone));
  EXPECT_TRUE(MatchedAsDigitShape(Rule::kIban));
  EXPECT_FALSE(MatchedAsDigitShape(Rule::kMacDotted));  // a text anchor
  EXPECT_TRUE(MatchedAsDigitShape(Rule::kEthereum));
  EXPECT_FALSE(MatchedAsDigitShape(Rule::kMacSeparated));
  EXPECT_FALSE(MatchedAsDigitShape(Rule::kItFiscalCode));
}

TEST(DigitShapesTest, MatchesHyperscanOnRealShapes) {
  const HyperscanOracle oracle(MatchedAsDigitShape);
  const std::string texts[] = {
      "card 4111 1111 1111 1111 yesterday",
      "4111-1111-1111-1111 and 4111.1111.1111.1111 and 4111111111111111",
      "ssn 078-05-1120, 078 05 1120, 078.05.1120 or 078051120.",
      "call +44 20 7946 0958 or (555) 123-4567 or 030/1234567",
      "from 192.168.1.24 and 10.0.0.1, not 1.2.3.4.5 or 1234.1.1.1",
      "NINO AB 12 34 56 C, QQ123456D and qq 12 34 56 a",
      "Steuer-ID 86 095 742 719 or 86095742719",
      "DNI 12345678Z, 12345678-Z, 1234567-L; NIE X1234567L, y-1234567-x",
      "Aadhaar 2345 6789 0123, 2345-6789-0123, 2345:6789:0123",
      "x12345678Z_ 12345678Z9 _4111111111111111",
      "",
      "1",
      "1234567",
      "IBAN GB82 WEST 1234 5698 7654 32, DE89370400440532013000 and de89-3704-0044-0532-0130-00",
      "btc 1BoatSLRHtKNngkdXEeobR76b53LETtpyT, 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy; "
      "1BoatSLRHtKNngkdXEeobR76b53LETtpyT_ 1BoatSLRHtKNngkdXEeobR76b53LETtpyTlong",
      "eth 0x52908400098527886E0F7030069857D2E4169EE7 0x52908400098527886E0F7030069857D2E4169EE7a",
      "mac 0123.4567.89ab, face.beef.cafe.0123.4567 x0123.4567.89ab 0123.4567.89ab_",
      "NL91ABNA0417164300_ XX12 34567890123 AB12CD34EF56GH78IJ90KL12MN34OP56QR78 "
      "GB82WEST12345698765432",
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(InCode(text), oracle.Scan(text)) << text;
  }
}

TEST(DigitShapesTest, MatchesHyperscanOnRandomTexts) {
  const HyperscanOracle oracle(MatchedAsDigitShape);
  // Digits most of the time, then the separators the shapes use, then letters that
  // start or end shapes (NINO, NIE, DNI check letters), and other bytes.
  const std::string digits = "0123456789";
  const std::string separators = " .-/():";
  const std::string letters = "ABCDXYZabcdxyzQG_";
  const std::string iban_letters = "ABCDEGLNRTWXYZabdegnt";
  const std::string hex = "0123456789abcdefABCDEF";
  const std::string dotted = "..x1";
  const std::string others = "+#\n,é";
  Dice dice(20261202);
  int compared = 0;
  int with_candidates = 0;
  for (int round = 0; round < 50000; ++round) {
    std::string text;
    const int n = dice.Between(0, 60);
    // Every third text is mostly letters and digits, as IBANs are; every fifth is hex
    // digits with dots, x and 1s, as MACs and wallet addresses are.
    const bool alphanumeric = round % 3 == 0;
    const bool hexadecimal = round % 5 == 1;
    for (int i = 0; i < n; ++i) {
      const int k = dice.Between(0, 99);
      const std::string* pool = nullptr;
      if (hexadecimal) {
        pool = k < 80 ? &hex : k < 90 ? &dotted : &separators;
      } else if (alphanumeric) {
        pool = k < 45 ? &digits : k < 90 ? &iban_letters : &separators;
      } else {
        pool = k < 65 ? &digits : k < 85 ? &separators : k < 97 ? &letters : &others;
      }
      text += dice.Pick(*pool);
    }
    ASSERT_TRUE(AgreesWithOracle(oracle, FindDigitShapes, text, with_candidates));
    ++compared;
  }
  EXPECT_EQ(compared, 50000);
  EXPECT_GT(with_candidates, 12500);  // the texts do exercise the shapes
}

// Wallet addresses are long words: random words of about their length, from their
// alphabets with a few bytes that break them.
TEST(DigitShapesTest, MatchesHyperscanOnRandomLongWords) {
  const HyperscanOracle oracle(MatchedAsDigitShape);
  const std::string base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const std::string hex = "0123456789abcdefABCDEF";
  const std::string breakers = "0OIl_";
  const std::string separators = " .,-:";
  Dice dice(20261203);
  int found = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int words = dice.Between(1, 3);
    for (int w = 0; w < words; ++w) {
      if (dice.Chance(50)) {  // a base58 word led by 1, 3 or another byte
        text += dice.Chance(80) ? (dice.Chance(50) ? '1' : '3') : dice.Pick(base58);
        const int length = dice.Between(23, 36);
        for (int i = 0; i < length; ++i) {
          text += dice.Chance(2) ? dice.Pick(breakers) : dice.Pick(base58);
        }
      } else {  // 0x and about forty hex digits
        text += dice.Chance(90) ? "0x" : "0X";
        const int length = dice.Between(38, 42);
        for (int i = 0; i < length; ++i)
          text += dice.Chance(2) ? dice.Pick(breakers) : dice.Pick(hex);
      }
      text += dice.Pick(separators);
    }
    ASSERT_TRUE(AgreesWithOracle(oracle, FindDigitShapes, text, found));
  }
  EXPECT_GT(found, 5000);
}

}  // namespace
}  // namespace lanewise::inspect
