// SensitivityScorer: the PRISM-style score of a request from its entities' levels.
//
//   score = s_max + (1 - exp(-alpha * sum_{other entities} s_i / 4))
//
// where s_max is the highest level (0..4) of any entity and the sum runs over all the
// other entities (every entity but one instance of the maximum), each weighted by its
// own level relative to the top level 4. PRISM adds alpha * |entities| to the maximum;
// this variant makes the count term diminishing and bounded below 1 (capped at
// 0.999), so that
// floor(score) == s_max always holds (the level is never changed by counting alone),
// while more and more sensitive co-occurring entities push the score towards the next
// level: a policy threshold of 2.5 catches "several personal entities together" without
// catching one e-mail address. Entities of level 0 add nothing. The score is monotone:
// adding an entity never lowers it. No entities: 0.
#pragma once

#include <span>

namespace lanewise::inspect {

class SensitivityScorer {
 public:
  static constexpr double kAlpha = 0.25;
  static constexpr double kMaxCountTerm = 0.999;

  // `levels`: one sensitivity level (0..4) per entity, any order.
  static double Score(std::span<const int> levels);
};

}  // namespace lanewise::inspect
