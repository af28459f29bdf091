#include "inspect/sensitivity_scorer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace lanewise::inspect {
namespace {

TEST(SensitivityScorerTest, MaxPlusDiminishingCount) {
  EXPECT_EQ(SensitivityScorer::Score(std::vector<int>{}), 0.0);
  EXPECT_DOUBLE_EQ(SensitivityScorer::Score(std::vector<int>{2}), 2.0);
  EXPECT_DOUBLE_EQ(SensitivityScorer::Score(std::vector<int>{4}), 4.0);
  const double two = SensitivityScorer::Score(std::vector<int>{2, 2});
  EXPECT_NEAR(two, 2.0 + (1 - std::exp(-0.25 * 0.5)), 1e-12);
  // Level-0 entities add nothing.
  EXPECT_DOUBLE_EQ(SensitivityScorer::Score(std::vector<int>{3, 0, 0}), 3.0);
  // Counting never reaches the next level.
  EXPECT_LT(SensitivityScorer::Score(std::vector<int>(1000, 2)), 3.0);
}

TEST(SensitivityScorerTest, MonotoneInEntities) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> level(0, 4);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<int> levels;
    double previous = SensitivityScorer::Score(levels);
    for (int k = 0; k < 20; ++k) {
      levels.push_back(level(rng));
      const double score = SensitivityScorer::Score(levels);
      EXPECT_GE(score, previous);
      EXPECT_EQ(static_cast<int>(std::floor(score)),
                *std::max_element(levels.begin(), levels.end()));
      previous = score;
    }
  }
}

}  // namespace
}  // namespace lanewise::inspect
