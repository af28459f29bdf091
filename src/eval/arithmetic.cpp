#include "eval/arithmetic.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace lanewise::inspect {
namespace {

// Recursive descent over the expression's bytes; every Parse* returns nullopt on error.
class ArithmeticParser {
 public:
  explicit ArithmeticParser(std::string_view text) : text_(text) {}

  std::optional<double> ParseAll() {
    std::optional<double> value = ParseSum();
    SkipSpaces();
    if (!value || pos_ != text_.size() || !std::isfinite(*value)) return std::nullopt;
    return value;
  }

 private:
  void SkipSpaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool Take(std::string_view token) {
    SkipSpaces();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  std::optional<double> ParseSum() {
    std::optional<double> value = ParseProduct();
    while (value) {
      if (Take("+")) {
        auto rhs = ParseProduct();
        value = rhs ? std::optional(*value + *rhs) : std::nullopt;
      } else if (Take("-")) {
        auto rhs = ParseProduct();
        value = rhs ? std::optional(*value - *rhs) : std::nullopt;
      } else {
        break;
      }
    }
    return value;
  }

  std::optional<double> ParseProduct() {
    std::optional<double> value = ParsePower();
    while (value) {
      if (Take("*") || Take("x") || Take("\u00d7")) {
        auto rhs = ParsePower();
        value = rhs ? std::optional(*value * *rhs) : std::nullopt;
      } else if (Take("/") || Take("\u00f7")) {
        auto rhs = ParsePower();
        if (!rhs || *rhs == 0.0) return std::nullopt;
        value = *value / *rhs;
      } else {
        break;
      }
    }
    return value;
  }

  std::optional<double> ParsePower() {
    std::optional<double> base = ParseUnary();
    if (!base || !Take("^")) return base;
    std::optional<double> exponent = ParsePower();
    if (!exponent) return std::nullopt;
    return std::pow(*base, *exponent);
  }

  std::optional<double> ParseUnary() {
    if (Take("-")) {
      auto value = ParseUnary();
      return value ? std::optional(-*value) : std::nullopt;
    }
    std::optional<double> value = ParsePrimary();
    while (value && Take("%")) *value /= 100.0;
    return value;
  }

  std::optional<double> ParsePrimary() {
    if (Take("(")) {
      std::optional<double> value = ParseSum();
      if (!value || !Take(")")) return std::nullopt;
      return value;
    }
    Take("$");
    SkipSpaces();
    std::string digits;
    bool seen_digit = false, seen_point = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        digits.push_back(c);
        seen_digit = true;
      } else if (c == ',' && seen_digit && !seen_point) {
        // a thousands separator: skipped
      } else if (c == '.' && !seen_point) {
        digits.push_back(c);
        seen_point = true;
      } else {
        break;
      }
      ++pos_;
    }
    if (!seen_digit) return std::nullopt;
    return std::strtod(digits.c_str(), nullptr);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<double> EvaluateArithmetic(std::string_view expression) {
  return ArithmeticParser(expression).ParseAll();
}

std::optional<double> ParseWrittenNumber(std::string_view text) {
  std::string kept;
  for (char c : text) {
    if (c != ',' && c != '$') kept.push_back(c);
  }
  std::size_t begin = 0, end = kept.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(kept[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(kept[end - 1]))) --end;
  kept = kept.substr(begin, end - begin);
  if (kept.empty()) return std::nullopt;
  char* stop = nullptr;
  const double value = std::strtod(kept.c_str(), &stop);
  if (stop != kept.c_str() + kept.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace lanewise::inspect
