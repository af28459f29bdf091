// Digit shapes: candidates of the built-in rules whose matches are built around digits
// (payment card, US SSN, phone anchor, IPv4, UK NINO, German tax id, Spanish DNI/NIE,
// Aadhaar, IBAN, Bitcoin base58 and Ethereum addresses), found in C++ instead of
// Hyperscan (the dotted MAC, also digit-free, is a text anchor: text_anchors.h).
//
// These expressions are the costly part of a Hyperscan scan: they have no literal to
// prefilter on and need start-of-match tracking, so the engine works at every digit
// (about two thirds of the scan time of a text with a card and a phone number). Here one
// pass finds where digit runs start and end, and only there is each rule's shape checked.
//
// The candidates are exactly those Hyperscan reports for the rule's expression in
// pattern_rules.cpp (with HS_FLAG_SOM_LEFTMOST: for each end, the leftmost start; the
// phone anchor, which has no start tracking, reports every end with from == to). The
// unit tests check this against Hyperscan itself on random texts.
#pragma once

#include <string_view>
#include <vector>

#include "inspect/rules/pattern_database.h"
#include "inspect/rules/pattern_rules.h"

namespace lanewise::inspect {

// True for the rules whose candidates FindDigitShapes produces (their expressions are
// not compiled into the built-in Hyperscan database).
bool MatchedAsDigitShape(Rule rule);

// Appends the candidates of every digit-shaped rule in `text` (normalised), with
// RawMatch::id the rule's index in BuiltinRules().
void FindDigitShapes(std::string_view text, std::vector<RawMatch>& out);

}  // namespace lanewise::inspect
