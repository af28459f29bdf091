// The arithmetic a worked solution writes, as the cascade verifier reads it.
#include "eval/arithmetic.h"

#include <gtest/gtest.h>

namespace lanewise::inspect {
namespace {

TEST(EvalArithmetic, WrittenForms) {
  EXPECT_EQ(EvaluateArithmetic("3*60"), 180.0);
  EXPECT_EQ(EvaluateArithmetic("3 x 60"), 180.0);
  EXPECT_EQ(EvaluateArithmetic("$80,000 + $50,000"), 130000.0);
  EXPECT_EQ(EvaluateArithmetic("8 x $5 x 60%"), 24.0);
  EXPECT_EQ(EvaluateArithmetic("16 \u00f7 2 \u00d7 3"), 24.0);
  EXPECT_EQ(EvaluateArithmetic("(1+2)*3"), 9.0);
  EXPECT_EQ(EvaluateArithmetic("2^3^2"), 512.0);  // right-associative
  EXPECT_EQ(EvaluateArithmetic("-4 + 1"), -3.0);
  EXPECT_EQ(EvaluateArithmetic("10 - 2 - 3"), 5.0);  // left-associative
  EXPECT_EQ(EvaluateArithmetic("1.5*2"), 3.0);
}

TEST(EvalArithmetic, NotArithmetic) {
  EXPECT_EQ(EvaluateArithmetic("5/0"), std::nullopt);
  EXPECT_EQ(EvaluateArithmetic("3 apples"), std::nullopt);
  EXPECT_EQ(EvaluateArithmetic("(1+2"), std::nullopt);
  EXPECT_EQ(EvaluateArithmetic(""), std::nullopt);
  EXPECT_EQ(EvaluateArithmetic("+"), std::nullopt);
}

TEST(EvalArithmetic, WrittenNumbers) {
  EXPECT_EQ(ParseWrittenNumber(" $1,250.50 "), 1250.5);
  EXPECT_EQ(ParseWrittenNumber("-3"), -3.0);
  EXPECT_EQ(ParseWrittenNumber("12 apples"), std::nullopt);
  EXPECT_EQ(ParseWrittenNumber(""), std::nullopt);
  EXPECT_EQ(ParseWrittenNumber("inf"), std::nullopt);
}

}  // namespace
}  // namespace lanewise::inspect
