// NameDetector: PERSON spans from given-name and surname lists plus context.
//
// Candidates are runs of capitalised words on one line (with middle initials and
// particles such as "van", "de", "al" inside); in an all-lower-case text, runs of words
// found in the name lists. A candidate becomes a PERSON when the evidence is enough:
//   - a person title right before it (Mr, Mrs, Dr, Frau, Señor...): 0.9;
//   - a cue phrase before it ("my name is", "dear", "hi", "my son", "I'm"...): 0.85;
//   - a given name followed by a surname or an unknown capitalised word: 0.85;
//   - a single unambiguous given name in the middle of a sentence: 0.6-0.7;
//   - a single unambiguous surname in the middle of a sentence: 0.55.
// Words that are also common English words (ambiguous_words.tsv: Will, May, Rose,
// Smith...) count only with a title, a cue or a name partner. Runs followed by a street
// type ("Kimberly Way"), preceded by a house number, followed by a company suffix, or
// that are places after a place preposition ("in Jordan") are left to other detectors.
#pragma once

#include <vector>

#include "inspect/entity_types.h"
#include "inspect/gazetteer/gazetteer.h"
#include "inspect/text/tokenizer.h"

namespace lanewise::inspect {

class NameDetector {
 public:
  explicit NameDetector(const Gazetteer& gazetteer) : gazetteer_(gazetteer) {}

  void Detect(const TokenizedText& text, std::vector<Finding>& out) const;

 private:
  const Gazetteer& gazetteer_;
};

}  // namespace lanewise::inspect
