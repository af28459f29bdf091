// DifficultyModel: the estimated need of a request for the stronger model, in [0, 1].
//
// A logistic regression over the difficulty features (difficulty_features.h), trained
// offline by tools/train/train_difficulty.py from features this code dumped
// (`lanewise difficulty-features`), so training and scoring read identical features.
// The weights ship in data/difficulty/weights.txt.
//
// Immutable after Load; Score may be called from any thread (per-thread buffers).
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "inspect/difficulty/difficulty_features.h"

namespace lanewise::inspect {

class DifficultyModel {
 public:
  // Reads a weights file. Errors name the file and line: wrong format or feature
  // version, an index outside the feature vector, a value that is not a finite number.
  static core::Result<std::shared_ptr<const DifficultyModel>> Load(const std::string& path);
  static core::Result<std::shared_ptr<const DifficultyModel>> Parse(std::string_view text,
                                                                    std::string_view origin);

  // sigmoid(bias + w . features)
  double Score(const DifficultyFeatures& features) const;
  // Reads the prompt from a chat-completions body and scores it.
  double ScoreRequest(const boost::json::object& body) const;

 private:
  DifficultyModel() = default;
  double bias_ = 0.0;
  std::vector<float> weights_;  // kDifficultyFeatureCount entries
};

}  // namespace lanewise::inspect
