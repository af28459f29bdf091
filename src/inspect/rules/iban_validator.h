// IBAN: country length table (SWIFT IBAN registry) and the ISO 7064 mod-97-10 check.
#pragma once

#include <string_view>

namespace lanewise::inspect {

// Registered IBAN length for an ISO 3166 alpha-2 country code (upper case), 0 if none.
int IbanLength(std::string_view country);

// `compact` is an IBAN without separators, any case. True when the country is known,
// the length matches the registry, the check digits are 02..98 and mod 97 == 1.
bool IbanValid(std::string_view compact);

// As written in text: compact, or grouped in blocks of four separated by single spaces
// (or dashes), the last block 1-4 characters; letters all upper or all lower case.
bool IbanCandidateValid(std::string_view candidate);

}  // namespace lanewise::inspect
