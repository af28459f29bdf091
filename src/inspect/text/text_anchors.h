// Text anchors: candidates of four rules found in C++ instead of Hyperscan, each looked
// for only where it can be: the bare URL ("x.com": a letter or digit, a dot, a top-level
// domain) and the dotted MAC ("0123.4567.89ab") at each dot, the e-mail address ("x@y") at
// each '@', and the Italian fiscal code (a word of sixteen letters and digits) at each
// word that starts with a capital letter. One pass over the text finds dots, at signs and
// capitals eight bytes at a time (byte_masks.h).
//
// Measured on the 2 KB request of bench/request_2kb.h: the bare URL's caseless
// alternation of short domains matched some prefix after almost every dot and letter (a
// third of the Hyperscan scan), and the fiscal code, the one expression left without a
// literal, alone took half of what remained. The date of birth cue stays in Hyperscan:
// its cue words start at word starts with common letters, and scanning for those in C++
// cost more than it saved.
//
// The candidates are exactly those Hyperscan reports for the rules' expressions in
// pattern_rules.cpp (the anchor rules without start of match: every end once, from ==
// to; the fiscal code with its start); the unit tests check this against Hyperscan
// itself on random texts.
#pragma once

#include <string_view>
#include <vector>

#include "inspect/rules/pattern_database.h"
#include "inspect/rules/pattern_rules.h"

namespace lanewise::inspect {

// True for the rules whose candidates FindTextAnchors produces (their expressions are
// not compiled into the built-in Hyperscan database).
bool MatchedAsTextAnchor(Rule rule);

// Appends the candidates of the bare URL, dotted MAC, e-mail and fiscal code rules in `text`
// (normalised), with RawMatch::id the rule's index in BuiltinRules().
void FindTextAnchors(std::string_view text, std::vector<RawMatch>& out);

}  // namespace lanewise::inspect
