// National identifiers with structural rules and check digits. Every function takes the
// identifier as written (separators allowed where the format has them) and answers
// whether it is valid; none of them looks at the surrounding text.
#pragma once

#include <string_view>

namespace lanewise::inspect {

// US Social Security Number: 9 digits, optionally grouped 3-2-4 by one kind of
// separator (space, dash, dot). SSA rules: area not 000, 666 or 900-999, group not 00,
// serial not 0000; publicly burned numbers (078-05-1120, 219-09-9999, 123-45-6789) and
// nine identical digits are rejected.
bool UsSsnValid(std::string_view candidate);

// UK National Insurance number: two prefix letters, six digits, suffix A-D; spaces
// anywhere. Prefix letters D F I Q U V are never used, O never second, and the pairs
// BG GB KN NK NT TN ZZ are not allocated.
bool UkNinoValid(std::string_view candidate);

// German Steuerliche Identifikationsnummer (11 digits, spaces allowed): first digit not
// 0; in the first ten digits exactly one digit occurs twice or three times (three not
// in a row) and the others at most once; check digit ISO 7064 MOD 11,10.
bool DeTaxIdValid(std::string_view candidate);
// Only the shape (11 digits, first not 0) and the check digit, not the rule on repeated
// digits: sample and test numbers ("12345678903") break it, so this is used only where
// the text calls the number a tax id.
bool DeTaxIdCheckDigitValid(std::string_view candidate);

// Spanish DNI: 8 digits (7 accepted, leading zero dropped) and a control letter, an
// optional dash before it. Letter = "TRWAGMYFPDXBNJZSQVHLCKE"[number % 23].
bool EsDniValid(std::string_view candidate);
// Spanish NIE: X, Y or Z (0, 1, 2), 7 digits and the control letter; optional dashes.
bool EsNieValid(std::string_view candidate);

// Italian codice fiscale: 16 characters (omocodia letters allowed in digit places);
// the last is the check character computed from odd/even position tables.
bool ItFiscalCodeValid(std::string_view candidate);

// Indian Aadhaar: 12 digits (groups of 4 separated by space, dash or colon allowed),
// first digit 2-9, not a palindrome, Verhoeff check digit.
bool AadhaarValid(std::string_view candidate);

// Verhoeff checksum over a digit string (true when the last digit checks the rest).
bool VerhoeffValid(std::string_view digits);

}  // namespace lanewise::inspect
