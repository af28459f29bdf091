// TypeCounts keeps the map semantics the policy relies on: one entry per type, sorted by
// type, absent types counted as missing (find/count) or added at zero (operator[]).
#include "core/type_counts.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace lanewise::core {
namespace {

TEST(TypeCountsTest, CountsLikeAMap) {
  TypeCounts counts;
  EXPECT_TRUE(counts.empty());
  ++counts["PERSON"];
  ++counts["CREDIT_CARD"];
  ++counts["PERSON"];
  counts["IBAN_CODE"] = 3;
  EXPECT_EQ(counts.size(), 3U);
  EXPECT_EQ(counts.at("PERSON"), 2);
  EXPECT_EQ(counts.at("CREDIT_CARD"), 1);
  EXPECT_EQ(counts.count("IBAN_CODE"), 1U);
  EXPECT_EQ(counts.count("EMAIL_ADDRESS"), 0U);
  EXPECT_EQ(counts.find("EMAIL_ADDRESS"), counts.end());
  EXPECT_THROW((void)counts.at("EMAIL_ADDRESS"), std::out_of_range);
  std::vector<std::string> order;
  for (const auto& [type, n] : counts) order.push_back(type);
  EXPECT_EQ(order, (std::vector<std::string>{"CREDIT_CARD", "IBAN_CODE", "PERSON"}));
}

TEST(TypeCountsTest, AgreesWithStdMapOnRandomIncrements) {
  std::mt19937 random(7);
  const std::vector<std::string> types = {
      "A", "B", "PERSON", "PERSONS", "", "Z", "MEDICAL_RECORD_NUMBER"};
  for (int round = 0; round < 200; ++round) {
    TypeCounts counts;
    std::map<std::string, int> reference;
    const int steps = std::uniform_int_distribution<int>(0, 30)(random);
    for (int s = 0; s < steps; ++s) {
      const std::string& type =
          types[std::uniform_int_distribution<std::size_t>(0, types.size() - 1)(random)];
      ++counts[type];
      ++reference[type];
    }
    ASSERT_EQ(counts.size(), reference.size());
    auto it = counts.begin();
    for (const auto& [type, n] : reference) {
      EXPECT_EQ(it->first, type);
      EXPECT_EQ(it->second, n);
      ++it;
    }
  }
}

}  // namespace
}  // namespace lanewise::core
