#include "inspect/sensitivity_scorer.h"

#include <algorithm>
#include <cmath>

namespace lanewise::inspect {

double SensitivityScorer::Score(std::span<const int> levels) {
  if (levels.empty()) return 0.0;
  int max_level = 0;
  double total = 0.0;
  for (int level : levels) {
    const int clamped = std::clamp(level, 0, 4);
    max_level = std::max(max_level, clamped);
    total += clamped;
  }
  const double others = (total - max_level) / 4.0;
  // Capped so that floor(score) stays the maximum level even where exp() underflows.
  return max_level + std::min(kMaxCountTerm, 1.0 - std::exp(-kAlpha * others));
}

}  // namespace lanewise::inspect
