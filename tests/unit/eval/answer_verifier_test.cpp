// The cascade's weak-answer verifier: each signal, and that they add up as documented.
#include "eval/answer_verifier.h"

#include <gtest/gtest.h>

#include <string>

namespace lanewise::inspect {
namespace {

constexpr const char* kClean =
    " James runs 3 sprints in each session. So in one session, he runs 3 x 60 = "
    "<<3*60=180>>180 meters.\nIn a week, James runs 180 x 3 = <<180*3=540>>540 meters.\n"
    "#### 540\n\n";

double Length(const std::string& text) {
  return static_cast<double>(text.size()) / 1000.0;
}

TEST(AnswerVerifier, CleanAnswerHasOnlyItsLength) {
  const AnswerCheck check = CheckMathAnswer(kClean);
  EXPECT_TRUE(check.has_final);
  EXPECT_EQ(check.final_answer, 540.0);
  EXPECT_EQ(check.last_result, 540.0);
  EXPECT_EQ(check.arithmetic_errors, 0);
  EXPECT_EQ(check.hedges, 0);
  EXPECT_DOUBLE_EQ(check.score, Length(kClean));
}

TEST(AnswerVerifier, MissingFinalAnswer) {
  const std::string text = "The house's value after repairs is 80,000 + 50,000 = 130,000 and";
  const AnswerCheck check = CheckMathAnswer(text);
  EXPECT_FALSE(check.has_final);
  EXPECT_EQ(check.arithmetic_errors, 0);
  EXPECT_DOUBLE_EQ(check.score, 3.0 + Length(text));
}

TEST(AnswerVerifier, FinalAnswerOnTheNextLineIsRead) {
  const AnswerCheck check = CheckMathAnswer("So 2 + 2 = 4.\n####\n4\n");
  EXPECT_EQ(check.final_answer, 4.0);
  EXPECT_LT(check.score, 1.0);
}

TEST(AnswerVerifier, FractionalFinalAnswer) {
  const std::string text = "It takes 2 + 0.5 = 2.5 bolts.\n#### 2.5";
  EXPECT_DOUBLE_EQ(CheckMathAnswer(text).score, 3.0 + Length(text));
}

TEST(AnswerVerifier, FinalAnswerThatIsNotTheLastResult) {
  const std::string text = "She sells 9 * 2 = 18 dollars of eggs.\n#### 20";
  const AnswerCheck check = CheckMathAnswer(text);
  EXPECT_EQ(check.last_result, 18.0);
  EXPECT_DOUBLE_EQ(check.score, 2.0 + Length(text));
}

TEST(AnswerVerifier, WrongCalculatorNoteAndWrongInlineEquation) {
  const std::string note = "The discounted ones cost <<8*5*60/100=20>>20.\n#### 20";
  EXPECT_EQ(CheckMathAnswer(note).arithmetic_errors, 1);
  EXPECT_DOUBLE_EQ(CheckMathAnswer(note).score, 3.0 + Length(note));
  const std::string inline_text = "He runs 3 x 60 = 170 meters.\n#### 170";
  EXPECT_EQ(CheckMathAnswer(inline_text).arithmetic_errors, 1);
  // Two wrong equations weigh as one signal.
  const std::string both = "3 x 60 = 170, and 170 x 3 is <<170*3=500>>500.\n#### 500";
  EXPECT_EQ(CheckMathAnswer(both).arithmetic_errors, 2);
  // An equation written out and then noted is checked as both.
  EXPECT_EQ(CheckMathAnswer("So 8*5 = <<8*5=45>>45.\n#### 45").arithmetic_errors, 2);
  EXPECT_DOUBLE_EQ(CheckMathAnswer(both).score, 3.0 + Length(both));
}

TEST(AnswerVerifier, ResultRoundedToCentsIsNotAnError) {
  EXPECT_EQ(CheckMathAnswer("Each pays 10 / 3 = 3.33 dollars.\n#### 3").arithmetic_errors, 0);
  EXPECT_EQ(CheckMathAnswer("Each pays 10 / 3 = 3.5 dollars.\n#### 3").arithmetic_errors, 1);
}

TEST(AnswerVerifier, HedgesCountOncePerWordAtMostTwo) {
  const std::string one = "However, however, he has 2 + 2 = 4.\n#### 4";
  EXPECT_EQ(CheckMathAnswer(one).hedges, 1);
  EXPECT_DOUBLE_EQ(CheckMathAnswer(one).score, 1.0 + Length(one));
  const std::string three =
      "However, since you cannot have a fraction of a bolt, 2 + 1 = 3.\n#### 3";
  EXPECT_EQ(CheckMathAnswer(three).hedges, 3);
  EXPECT_DOUBLE_EQ(CheckMathAnswer(three).score, 2.0 + Length(three));
}

// Doubt orders answers: a clean one below any with a signal.
TEST(AnswerVerifier, SignalsRaiseTheScore) {
  const double clean = CheckMathAnswer(kClean).score;
  EXPECT_GT(CheckMathAnswer("He runs 3 x 60 = 170 meters.\n#### 170").score, clean);
  EXPECT_GT(CheckMathAnswer("He runs 3 x 60 = 180 meters, and").score, clean);
}

}  // namespace
}  // namespace lanewise::inspect
