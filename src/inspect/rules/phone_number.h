// Phone numbers: a parser and scorer for digit-group runs found by the pattern scan.
//
// Without a numbering-plan database, a phone number is recognised by its shape and its
// context: an international "+CC" prefix, the North American 3-3-4 layout, a national
// trunk "0" prefix with grouped digits, an extension ("x123", "ext. 12"), and words such
// as "phone", "tel", "mobile", "fax", "office" nearby. Runs that read as dates, IPv4
// addresses, versions or amounts are rejected. See docs/inspection.md for the weights.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "inspect/entity_types.h"

namespace lanewise::inspect {

// `text` is the whole normalised text; [start, end) the candidate run. Returns a
// PHONE_NUMBER finding (possibly a sub-span) when the run scores as a phone number.
std::optional<Finding> ParsePhoneNumber(std::string_view text, std::uint32_t start,
                                        std::uint32_t end);

}  // namespace lanewise::inspect
