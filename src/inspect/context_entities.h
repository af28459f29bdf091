// Entities that are ordinary-looking values made sensitive by what stands next to them:
// a date after "born" / "DOB" / "geb." is a DATE_OF_BIRTH; an identifier after "MRN" /
// "medical record" / "patient id" is a MEDICAL_RECORD_NUMBER.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "inspect/entity_types.h"

namespace lanewise::inspect {

// `cue_end` ends a birth cue ("born", "DOB", "date of birth", "geb.", "née"...). A
// DATE_OF_BIRTH finding for the first plausible date (1980-03-12, 12/03/1980,
// 12.03.80, 12 March 1980, March 12, 1980) starting within 48 bytes after it.
std::optional<Finding> DateOfBirthAfter(std::string_view text, std::uint32_t cue_end);

// [start, end) is a medical-record cue followed by an identifier; the finding covers
// the identifier only, which must hold at least four digits.
std::optional<Finding> MedicalRecordAt(std::string_view text, std::uint32_t start,
                                       std::uint32_t end);

}  // namespace lanewise::inspect
