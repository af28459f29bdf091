#include "core/difficulty_calibration.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace lanewise::core {

bool IsObjectiveName(std::string_view name) {
  return std::find(std::begin(kObjectiveNames), std::end(kObjectiveNames), name) !=
         std::end(kObjectiveNames);
}

double DifficultyCalibration::ThresholdForShare(double share) const {
  if (share <= 0.0 || empty()) return std::nextafter(1.0, 2.0);  // scores never exceed 1
  if (share >= 1.0) return 0.0;
  const double position = (1.0 - share) * static_cast<double>(quantiles.size() - 1);
  const auto lower = static_cast<std::size_t>(position);
  const std::size_t upper = std::min(lower + 1, quantiles.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return quantiles[lower] + (quantiles[upper] - quantiles[lower]) * fraction;
}

std::optional<double> DifficultyCalibration::ShareForObjective(std::string_view objective) const {
  auto it = objective_shares.find(objective);
  if (it == objective_shares.end()) return std::nullopt;
  return it->second;
}

namespace {

bool ParseNumber(std::string_view s, double& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(out);
}

// The next space-separated word of `s` (removed from it).
std::string_view NextWord(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  std::size_t end = 0;
  while (end < s.size() && s[end] != ' ' && s[end] != '\t') ++end;
  std::string_view word = s.substr(0, end);
  s.remove_prefix(end);
  return word;
}

}  // namespace

Result<DifficultyCalibration> ParseDifficultyCalibration(std::string_view text,
                                                         std::string_view origin) {
  DifficultyCalibration out;
  out.source = std::string(origin);
  std::size_t line_number = 0;
  bool format_seen = false;
  auto fail = [&](const std::string& why) {
    return InvalidArgument(std::string(origin) + ":" + std::to_string(line_number) + ": " + why);
  };
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view key = NextWord(line);
    if (key.empty() || key.front() == '#') continue;
    if (!format_seen) {
      if (key != "format" || NextWord(line) != "lanewise-difficulty-calibration" ||
          NextWord(line) != "1") {
        return fail("expected \"format lanewise-difficulty-calibration 1\"");
      }
      format_seen = true;
    } else if (key == "features") {
      // Checked against the weights by the inspector; kept for the reader.
    } else if (key == "objective") {
      const std::string name(NextWord(line));
      double share = 0;
      if (!IsObjectiveName(name)) return fail("unknown objective \"" + name + "\"");
      if (!ParseNumber(NextWord(line), share) || share < 0 || share > 1) {
        return fail("an objective's share is a number in [0, 1]");
      }
      out.objective_shares[name] = share;
    } else if (key == "quantiles") {
      for (std::string_view word = NextWord(line); !word.empty(); word = NextWord(line)) {
        double q = 0;
        if (!ParseNumber(word, q) || q < 0 || q > 1)
          return fail("a quantile is a number in [0, 1]");
        if (!out.quantiles.empty() && q < out.quantiles.back()) {
          return fail("quantiles must be ascending");
        }
        out.quantiles.push_back(q);
      }
    } else {
      return fail("unknown key \"" + std::string(key) + "\"");
    }
  }
  if (out.empty()) return InvalidArgument(std::string(origin) + ": no quantiles");
  for (std::string_view name : kObjectiveNames) {
    if (!out.objective_shares.contains(name)) {
      return InvalidArgument(std::string(origin) + ": no share for objective \"" +
                             std::string(name) + "\"");
    }
  }
  return out;
}

}  // namespace lanewise::core
