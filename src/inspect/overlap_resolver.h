// Overlap resolution: candidates from different rules often cover the same bytes (a
// card number is also a digit run that looks like a phone number; a street address
// contains a city). Greedy selection keeps, among overlapping candidates, the one with
// the highest confidence, then a validated one, then the longer, then the earlier.
#pragma once

#include <vector>

#include "inspect/entity_types.h"

namespace lanewise::inspect {

// Replaces `findings` with a non-overlapping subset sorted by start offset. Exact
// duplicates collapse to one.
void ResolveOverlaps(std::vector<Finding>& findings);

}  // namespace lanewise::inspect
