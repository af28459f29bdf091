// EvaluateArithmetic: the value of the arithmetic a worked solution writes down
// ("3 x 60", "8*5*60/100", "$80,000 + $50,000", "150% * 4"), for the cascade verifier
// (answer_verifier.h) to check the results the solution claims.
//
// Accepts + - * / ^ (power), x and × as times, ÷ as divide, a postfix % (divides by
// 100), parentheses, unary minus, numbers with thousands commas and a leading $.
// Anything else, a division by zero or a non-finite value gives nullopt.
#pragma once

#include <optional>
#include <string_view>

namespace lanewise::inspect {

std::optional<double> EvaluateArithmetic(std::string_view expression);

// A number as a solution writes it: commas and $ removed, surrounding spaces ignored;
// nullopt unless all of it is a number.
std::optional<double> ParseWrittenNumber(std::string_view text);

}  // namespace lanewise::inspect
