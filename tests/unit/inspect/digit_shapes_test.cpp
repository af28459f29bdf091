// FindDigitShapes must report exactly the candidates Hyperscan reports for the rules'
// expressions (pattern_rules.cpp): checked against Hyperscan itself, on fixed texts and
// on many random ones made of digits, separators and letters.
#include "inspect/digit_shapes.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace lanewise::inspect {
namespace {

using Candidate = std::tuple<unsigned int, std::uint32_t, std::uint32_t>;

// The digit-shaped rules' expressions compiled as the built-in database compiled them
// before they moved to C++ (start of match tracked, except for anchor rules).
class HyperscanOracle {
 public:
  HyperscanOracle() {
    const auto rules = BuiltinRules();
    std::vector<const char*> expressions;
    std::vector<unsigned int> flags;
    std::vector<unsigned int> ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (!MatchedAsDigitShape(rules[i].rule)) continue;
      expressions.push_back(rules[i].expression);
      flags.push_back(rules[i].som ? (rules[i].flags | HS_FLAG_SOM_LEFTMOST) : rules[i].flags);
      ids.push_back(static_cast<unsigned int>(i));
    }
    hs_compile_error_t* error = nullptr;
    EXPECT_EQ(hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                               static_cast<unsigned int>(expressions.size()), HS_MODE_BLOCK,
                               nullptr, &db_, &error),
              HS_SUCCESS);
    EXPECT_EQ(hs_alloc_scratch(db_, &scratch_), HS_SUCCESS);
  }
  ~HyperscanOracle() {
    hs_free_scratch(scratch_);
    hs_free_database(db_);
  }

  std::set<Candidate> Scan(const std::string& text) const {
    std::set<Candidate> out;
    hs_scan(
        db_, text.data(), static_cast<unsigned int>(text.size()), 0, scratch_,
        [](unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
           void* context) {
          const auto rules = BuiltinRules();
          if (!rules[id].som) from = to;  // anchor rules: the end only
          static_cast<std::set<Candidate>*>(context)->insert(
              {id, static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)});
          return 0;
        },
        &out);
    return out;
  }

 private:
  hs_database_t* db_ = nullptr;
  hs_scratch_t* scratch_ = nullptr;
};

std::set<Candidate> InCode(const std::string& text) {
  std::vector<RawMatch> matches;
  FindDigitShapes(text, matches);
  std::set<Candidate> out;
  for (const RawMatch& m : matches) {
    EXPECT_TRUE(out.insert({m.id, m.from, m.to}).second) << "duplicate candidate in: " << text;
  }
  return out;
}

TEST(DigitShapesTest, CoversThePhoneAnchorIbanAndEightBoundedRules) {
  int covered = 0;
  for (const PatternRule& rule : BuiltinRules()) covered += MatchedAsDigitShape(rule.rule) ? 1 : 0;
  EXPECT_EQ(covered, 10);
  EXPECT_TRUE(MatchedAsDigitShape(Rule::kCard));
  EXPECT_TRUE(MatchedAsDigitShape(Rule::kPhone));
  EXPECT_TRUE(MatchedAsDigitShape(Rule::kIban));
  EXPECT_FALSE(MatchedAsDigitShape(Rule::kMacDotted));
  EXPECT_FALSE(MatchedAsDigitShape(Rule::kItFiscalCode));
}

TEST(DigitShapesTest, MatchesHyperscanOnRealShapes) {
  const HyperscanOracle oracle;
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
      "NL91ABNA0417164300_ XX12 34567890123 AB12CD34EF56GH78IJ90KL12MN34OP56QR78 "
      "GB82WEST12345698765432",
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(InCode(text), oracle.Scan(text)) << text;
  }
}

TEST(DigitShapesTest, MatchesHyperscanOnRandomTexts) {
  const HyperscanOracle oracle;
  // Digits most of the time, then the separators the shapes use, then letters that
  // start or end shapes (NINO, NIE, DNI check letters), and other bytes.
  const std::string digits = "0123456789";
  const std::string separators = " .-/():";
  const std::string letters = "ABCDXYZabcdxyzQG_";
  const std::string iban_letters = "ABCDEGLNRTWXYZabdegnt";
  const std::string others = "+#\n,é";
  std::mt19937 random(20261202);
  std::uniform_int_distribution<int> length(0, 60);
  std::uniform_int_distribution<int> kind(0, 99);
  int compared = 0;
  int with_candidates = 0;
  for (int round = 0; round < 50000; ++round) {
    std::string text;
    const int n = length(random);
    // Every third text is mostly letters and digits, as IBANs are.
    const bool alphanumeric = round % 3 == 0;
    for (int i = 0; i < n; ++i) {
      const int k = kind(random);
      const std::string& pool = alphanumeric ? (k < 45   ? digits
                                                : k < 90 ? iban_letters
                                                         : separators)
                                : k < 65     ? digits
                                : k < 85     ? separators
                                : k < 97     ? letters
                                             : others;
      text += pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(random)];
    }
    const auto expected = oracle.Scan(text);
    ASSERT_EQ(InCode(text), expected) << "text: \"" << text << "\"";
    ++compared;
    with_candidates += expected.empty() ? 0 : 1;
  }
  EXPECT_EQ(compared, 50000);
  EXPECT_GT(with_candidates, 12500);  // the texts do exercise the shapes
}

}  // namespace
}  // namespace lanewise::inspect
