// Overlap resolution: candidates from different rules often cover the same bytes (a
// card number is also a digit run that looks like a phone number; a street address
// contains a city). Greedy selection keeps, among overlapping candidates, the one with
// the highest confidence, then a validated one, then the longer, then the earlier.
#pragma once

#include <string_view>
#include <vector>

#include "inspect/entity_types.h"

namespace lanewise::inspect {

// Replaces `findings` with a non-overlapping subset sorted by start offset. Exact
// duplicates collapse to one. A trimmable finding (gazetteer-based: names, addresses,
// places) that loses only part of its span keeps its largest uncovered piece when that
// piece holds at least half of it; spaces and punctuation at the cut are trimmed using
// `text`, the normalised text the offsets refer to.
void ResolveOverlaps(std::vector<Finding>& findings, std::string_view text);

}  // namespace lanewise::inspect
