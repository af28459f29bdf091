// LocationDetector: LOCATION spans for countries, first-level regions and cities
// (GeoNames cities with population >= 15,000 and their alternate names), matched as the
// longest phrase of capitalised (or all-caps) words starting at a token.
//
// Confidence: countries 0.75; regions 0.6; cities 0.55, 0.65 from 100,000 people. A
// place preposition before ("in", "from", "to", "at", "near", "visit") adds 0.15. Names
// that are also common English words (Nice, Reading, Mobile) or given names
// (Florence, Jackson) need that preposition. Sentence-initial single words need it too.
#pragma once

#include <vector>

#include "inspect/entity_types.h"
#include "inspect/gazetteer/gazetteer.h"
#include "inspect/text/tokenizer.h"

namespace lanewise::inspect {

class LocationDetector {
 public:
  explicit LocationDetector(const Gazetteer& gazetteer) : gazetteer_(gazetteer) {}

  void Detect(const TokenizedText& text, std::vector<Finding>& out) const;

 private:
  const Gazetteer& gazetteer_;
};

}  // namespace lanewise::inspect
