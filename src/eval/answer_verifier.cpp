#include "eval/answer_verifier.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <regex>
#include <string>

#include "eval/arithmetic.h"

namespace lanewise::inspect {
namespace {

constexpr std::array<std::string_view, 9> kHedges{
    "however", "approximately", "round",   "not possible", "cannot",
    "can't",   "note",          "mistake", "fraction",
};

constexpr double kMissingOrFractionalFinal = 3.0;
constexpr double kFinalNotLastResult = 2.0;
constexpr double kArithmeticError = 3.0;
constexpr int kMaxHedges = 2;

// <<expression=result>>, GSM8K's calculator notes.
const std::regex& CalculatorNote() {
  static const std::regex note(R"(<<([^=<>]*)=([^<>]*)>>)");
  return note;
}

// "a op b (op c ...) = d" written inline.
const std::regex& InlineEquation() {
  static const std::regex equation(
      R"((\$?\d[\d,]*\.?\d*%?(?:\s*(?:[-+*/x]|×|÷)\s*\$?\d[\d,]*\.?\d*%?)+))"
      R"(\s*=\s*\$?(-?\d[\d,]*\.?\d*))");
  return equation;
}

bool Wrong(double computed, double claimed) {
  // A claim may round to cents.
  const double tolerance = 1e-6 * std::max(1.0, std::abs(claimed));
  return std::abs(computed - claimed) > tolerance &&
         std::abs(std::round(computed * 100.0) / 100.0 - claimed) > 0.011;
}

int WrongEquations(const std::string& text, const std::regex& pattern) {
  int wrong = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    const std::optional<double> computed = EvaluateArithmetic((*it)[1].str());
    const std::optional<double> claimed = ParseWrittenNumber((*it)[2].str());
    if (computed && claimed && Wrong(*computed, *claimed)) ++wrong;
  }
  return wrong;
}

std::optional<double> FirstNumber(const std::string& text) {
  static const std::regex number(R"(-?[\d,]*\.?\d+)");
  std::smatch match;
  if (!std::regex_search(text, match, number)) return std::nullopt;
  return ParseWrittenNumber(match.str());
}

std::optional<double> LastResult(const std::string& reasoning) {
  static const std::regex result(R"(=\s*\$?(-?[\d,]*\.?\d+))");
  std::optional<double> last;
  for (auto it = std::sregex_iterator(reasoning.begin(), reasoning.end(), result);
       it != std::sregex_iterator(); ++it) {
    last = ParseWrittenNumber((*it)[1].str());
  }
  return last;
}

}  // namespace

AnswerCheck CheckMathAnswer(std::string_view answer) {
  AnswerCheck check;
  const std::string text(answer);
  check.length = text.size();

  const std::size_t marker = text.find("####");
  const std::string reasoning = text.substr(0, marker);
  if (marker != std::string::npos) {
    check.has_final = true;
    // The final answer may start on the next line.
    std::size_t start = marker + 4;
    while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
    const std::size_t end = text.find('\n', start);
    check.final_answer =
        FirstNumber(text.substr(start, end == std::string::npos ? end : end - start));
  }
  check.last_result = LastResult(reasoning);

  check.arithmetic_errors = WrongEquations(text, CalculatorNote());
  const std::string without_notes = std::regex_replace(text, CalculatorNote(), "");
  check.arithmetic_errors += WrongEquations(without_notes, InlineEquation());

  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view hedge : kHedges) check.hedges += lower.find(hedge) != std::string::npos;

  const bool whole_final =
      check.final_answer && *check.final_answer == std::floor(*check.final_answer);
  if (!whole_final) check.score += kMissingOrFractionalFinal;
  if (check.final_answer && check.last_result &&
      std::abs(*check.final_answer - *check.last_result) > 1e-6) {
    check.score += kFinalNotLastResult;
  }
  if (check.arithmetic_errors > 0) check.score += kArithmeticError;
  check.score += std::min(check.hedges, kMaxHedges);
  check.score += static_cast<double>(check.length) / 1000.0;
  return check;
}

}  // namespace lanewise::inspect
