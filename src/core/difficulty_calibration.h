// DifficultyCalibration: how difficulty scores are spread on the training data, and the
// share of requests each routing objective sends to the strong lane. Written by
// tools/train/train_difficulty.py next to the weights (data/difficulty/calibration.txt),
// read by the config loader (config/difficulty_calibration_loader.cpp), used by the
// policy to turn a share into a score threshold (RouteLLM's calibration).
#pragma once

#include <map>

#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "core/result.h"

namespace lanewise::core {

// The objectives a capability route understands, in order from most to least strong use.
inline constexpr std::string_view kObjectiveNames[] = {"quality", "balanced", "cost",
                                                       "privacy-first"};
bool IsObjectiveName(std::string_view name);

struct DifficultyCalibration {
  std::string source;  // the file it was read from, for messages
  // Training scores at the quantiles 0, 1/(n-1), ..., 1 (ascending, n >= 2).
  std::vector<double> quantiles;
  // Objective -> the share of requests it sends to the strong lane, in [0, 1].
  std::map<std::string, double, std::less<>> objective_shares;

  bool empty() const { return quantiles.size() < 2; }
  // The score at or above which a request goes to the strong lane so that `share` of the
  // training requests would: the (1 - share) quantile, interpolated. share <= 0 gives a
  // threshold above every score, share >= 1 gives 0.
  double ThresholdForShare(double share) const;
  std::optional<double> ShareForObjective(std::string_view objective) const;
};

// Parses calibration.txt:
//   format lanewise-difficulty-calibration 1
//   features <feature version>
//   objective <name> <share>          (one per objective; every one of kObjectiveNames)
//   quantiles <q0> <q1> ... <qn-1>    (ascending, in [0, 1], n >= 2)
// Errors name `origin` and the line.
Result<DifficultyCalibration> ParseDifficultyCalibration(std::string_view text,
                                                         std::string_view origin);

}  // namespace lanewise::core
