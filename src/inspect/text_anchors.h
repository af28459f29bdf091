// Text anchors: candidates of two anchor rules found in C++ instead of Hyperscan, the
// bare URL ("x.com": a letter or digit, a dot, a top-level domain) and the e-mail address
// ("x@y").
//
// The bare URL's expression alone was a third of the built-in Hyperscan scan's time: its
// caseless alternation of short domains matches some prefix after almost every dot and
// letter. Here both are looked for only where they can be: at each dot, at each '@'
// (memchr finds them). The date of birth cue stays in Hyperscan: its cue words start at
// word starts with common letters, and scanning for those in C++ cost more than it saved.
//
// The candidates are exactly those Hyperscan reports for the rules' expressions in
// pattern_rules.cpp (anchor rules, no start of match: every end once, from == to); the
// unit tests check this against Hyperscan itself on random texts.
#pragma once

#include <string_view>
#include <vector>

#include "inspect/pattern_database.h"
#include "inspect/pattern_rules.h"

namespace lanewise::inspect {

// True for the rules whose candidates FindTextAnchors produces (their expressions are
// not compiled into the built-in Hyperscan database).
bool MatchedAsTextAnchor(Rule rule);

// Appends the candidates of the bare URL and e-mail rules in `text`
// (normalised), with RawMatch::id the rule's index in BuiltinRules().
void FindTextAnchors(std::string_view text, std::vector<RawMatch>& out);

}  // namespace lanewise::inspect
