// The cascade as a router in eval-routing: scores from the weak answers only, and the
// report's figures on a fixture whose APGR is worked out by hand.
#include "eval/cascade_router.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace lanewise::inspect {
namespace {

// Two right weak answers without a signal, two wrong ones with one (no final answer; a
// wrong calculator note). weak 1,1,0,0 (mean 0.5); strong 1,0,1,1 (mean 0.75).
std::vector<RoutingRow> Rows() {
  return {{"gsm8k", "a", 1, 1}, {"gsm8k", "b", 1, 0}, {"gsm8k", "c", 0, 1}, {"gsm8k", "d", 0, 1}};
}

WeakAnswers Answers() {
  return {{"a", "3 x 60 = <<3*60=180>>180 meters.\n#### 180"},
          {"b", "She has 16 - 3 = 13 eggs.\n#### 13"},
          {"c", "The value is 80,000 + 50,000 = 130,000 and then"},
          {"d", "8 x 5 = <<8*5=45>>45.\n#### 45"}};
}

TEST(CascadeRouter, ScoresComeFromTheWeakAnswers) {
  auto scores = CascadeScores(PromptsOf(Rows()), Answers());
  ASSERT_TRUE(scores.ok()) << scores.status().message();
  ASSERT_EQ(scores->size(), 4u);
  EXPECT_LT((*scores)[0], 1.0);
  EXPECT_LT((*scores)[1], 1.0);
  EXPECT_GE((*scores)[2], 3.0);
  EXPECT_GE((*scores)[3], 3.0);
}

TEST(CascadeRouter, RowWithoutWeakAnswerIsAnError) {
  WeakAnswers answers = Answers();
  answers.erase("c");
  auto scores = CascadeScores(PromptsOf(Rows()), answers);
  ASSERT_FALSE(scores.ok());
  EXPECT_NE(scores.status().message().find("\"c\""), std::string::npos);
}

// The curve, escalating c and d first: (0, 0.5) (25, 0.75) (50, 1) (75, 1) (100, 0.75);
// AUC 84.375, so APGR = (84.375 - 0.5 * 100) / ((0.75 - 0.5) * 100) = 1.375; half the gap
// (0.625) is reached at 12.5% strong calls, 80% of it (0.7) at 20%.
TEST(CascadeRouter, SectionReportsTheCascadeNextToTheDifficultyRouter) {
  auto scores = CascadeScores(PromptsOf(Rows()), Answers());
  ASSERT_TRUE(scores.ok());
  std::ostringstream out;
  WriteCascadeSection(out, "fixture", Rows(), *scores, {0.4, 0.3, 0.2, 0.1});
  const std::string text = out.str();
  EXPECT_NE(text.find("Cascade on GSM8K, fixture (n = 4)"), std::string::npos) << text;
  EXPECT_NE(text.find("| cascade (weak-answer verifier) | 1.375 | 12.5% | 20.0% |"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("| difficulty router | "), std::string::npos) << text;
  EXPECT_NE(text.find("  cascade: (100.0, 0.750) "), std::string::npos) << text;
  EXPECT_NE(text.find(" (0.0, 0.500)\n"), std::string::npos) << text;
}

TEST(CascadeRouter, LoadsPromptAndWeakAnswerOnly) {
  const std::string path = ::testing::TempDir() + "/weak_answers.jsonl";
  {
    std::ofstream file(path);
    file << R"({"prompt":"p1","weak_answer":"#### 1","other":true})"
         << "\n\n"
         << R"({"prompt":"p2","weak_answer":"#### 2"})"
         << "\n";
  }
  auto answers = LoadWeakAnswers(path);
  ASSERT_TRUE(answers.ok()) << answers.status().message();
  EXPECT_EQ(answers->size(), 2u);
  EXPECT_EQ(answers->at("p2"), "#### 2");
  {
    std::ofstream file(path);
    file << R"({"prompt":"p1","strong_answer":"#### 1"})"
         << "\n";
  }
  auto bad = LoadWeakAnswers(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(":1:"), std::string::npos);
  std::remove(path.c_str());
  EXPECT_FALSE(LoadWeakAnswers(path).ok());
}

}  // namespace
}  // namespace lanewise::inspect
