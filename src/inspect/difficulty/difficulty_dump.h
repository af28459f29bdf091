// The difficulty features of one request as one text line, for training
// (`lanewise difficulty-features`; read by tools/train/train_difficulty.py):
//   "<index>:<value> <index>:<value> ..."  indexes ascending, each once, values exact
//   (printed with 9 significant digits, enough to round-trip a float).
#pragma once

#include <string>

#include "inspect/difficulty/difficulty_features.h"

namespace lanewise::inspect {

std::string DifficultyFeatureLine(const DifficultyFeatures& features);

}  // namespace lanewise::inspect
