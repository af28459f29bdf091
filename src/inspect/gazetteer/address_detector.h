// AddressDetector: STREET_ADDRESS spans from street-type words, unit designators and
// context, grown over the tokens that make up an address.
//
// Anchors (each with a base confidence):
//   - a street type (Street, St, Rd, rue, calle, via, ul., Straße...) or a word with a
//     glued street suffix (Grolmanstraße, Koskikatu, Lille Vibyvej) with a house number
//     within a few tokens: 0.75; a capitalised street type after a capitalised name
//     without a number (Almeida Street): 0.55;
//   - a unit designator with a number (Apt. 117, Suite 838, Box 53): 0.55;
//   - military addresses (PSC 1437, Box 3833 / APO AE 12345; USS Name / FPO AA): 0.8;
//   - a cue ("lives at", "address is", "ship to", "located at"...) before a house
//     number: 0.6;
//   - a postcode cue ("zip code", "postcode", "PLZ") before 4-6 digits: the number, 0.7.
// From an anchor the span grows left over the street name and house/unit numbers and
// right over numbers, capitalised words, particles (de, la, z, nad...), units, places
// and punctuation, across line breaks while the next line still looks like an address
// line (not "office"/"fax"/"phone" lines). Places inside, units and several lines raise
// the confidence (capped at 0.9).
#pragma once

#include <vector>

#include "inspect/entity_types.h"
#include "inspect/gazetteer/gazetteer.h"
#include "inspect/text/tokenizer.h"

namespace lanewise::inspect {

class AddressDetector {
 public:
  explicit AddressDetector(const Gazetteer& gazetteer) : gazetteer_(gazetteer) {}

  void Detect(const TokenizedText& text, std::vector<Finding>& out) const;

 private:
  const Gazetteer& gazetteer_;
};

}  // namespace lanewise::inspect
