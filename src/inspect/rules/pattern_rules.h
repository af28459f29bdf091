// The built-in pattern rules: for each, an expression that defines its candidates, and
// a check in C++ (checksum, structure, context) that turns a candidate into a Finding or
// drops it. Expressions run on normalised text, byte-wise (ASCII classes), with
// HS_FLAG_SOM_LEFTMOST so every match has a start. Most run in Hyperscan; the
// digit-shaped ones are found in C++ with the same candidates (digit_shapes.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "inspect/entity_types.h"

namespace lanewise::inspect {

enum class Rule : std::uint16_t {
  kCard,
  kIban,
  kUsSsn,
  kEmail,
  kPhone,
  kIpv4,
  kIpv6,
  kMacSeparated,
  kMacDotted,
  kUrlScheme,
  kUrlBare,
  kBitcoinBase58,
  kBitcoinBech32,
  kEthereum,
  kAwsKey,
  kGithubToken,
  kGitlabToken,
  kSlackToken,
  kOpenAiKey,
  kAnthropicKey,
  kGoogleApiKey,
  kStripeKey,
  kJwt,
  kPemPrivateKey,
  kAssignedSecret,
  kBirthCue,
  kMedicalRecord,
  kUkNino,
  kDeTaxId,
  kEsDni,
  kEsNie,
  kItFiscalCode,
  kAadhaar,
};

// How a rule's candidates are found: by Hyperscan from its expression, or in C++ with the
// same candidates (digit_shapes.h: digit-led shapes; text_anchors.h: dots, at signs and
// capitals), the expression then being the oracle the tests compare them with.
enum class Finder : std::uint8_t { kHyperscan, kDigitShape, kTextAnchor };

struct RuleScanState;

// A candidate of one rule in one normalised text: [start, end) (anchor rules know only the
// end: start == end), the scan state its rule's candidates share, the rule's index.
struct RuleCandidate {
  std::string_view text;
  std::uint32_t start;
  std::uint32_t end;
  RuleScanState& state;
  std::size_t index;
};

// A rule's check: checksum, structure, context; a Finding or nothing.
using RuleCheck = std::optional<Finding> (*)(const RuleCandidate&);

// One rule, registered once: one row of the table in pattern_rules.cpp.
struct PatternRule {
  Rule rule;
  TypeId type;
  const char* expression;
  unsigned int flags;  // HS_FLAG_* besides SOM_LEFTMOST
  // Keep only the longest match per start: for open-ended shapes (e-mail, URL, phone
  // runs) where shorter ends are prefixes of the same thing. Rules whose validity
  // depends on the exact end (card, IBAN) see every end.
  bool longest_only;
  // Report match starts (HS_FLAG_SOM_LEFTMOST). Anchor rules do without: they match a
  // short fixed piece of the entity ("x@y" of an e-mail address, ".com", seven digits
  // of a phone number) and the check grows the span in C++ from the match's end, which
  // is much cheaper to scan for than an open-ended pattern with start tracking.
  bool som = true;
  Finder found_by = Finder::kHyperscan;
  RuleCheck check = nullptr;
};

// Per-scan memory of the anchor rules: the end of the last span the current rule
// produced, so that the several anchors inside one phone number or address are checked
// once. A text's candidates are checked rule by rule (ScanNormalized sorts them by rule),
// so one rule's memory is all that is needed, and a new scan state costs nothing to set
// up (an array of one slot per rule was zeroed for every string).
struct RuleScanState {
  // The end of the last span `rule` produced in this text, 0 before any.
  std::uint32_t CoveredUntil(std::size_t rule) const { return rule == rule_ ? until_ : 0; }
  void Cover(std::size_t rule, std::uint32_t until) {
    rule_ = rule;
    until_ = until;
  }
  // Where the normaliser removed format characters (see NormalizedText::hidden_breaks).
  std::span<const std::uint32_t> hidden_breaks;

 private:
  std::size_t rule_ = static_cast<std::size_t>(-1);
  std::uint32_t until_ = 0;
};

std::span<const PatternRule> BuiltinRules();

// The index of `rule` in BuiltinRules() (the id its candidates carry).
unsigned int BuiltinRuleIndex(Rule rule);

// Checks the candidate [start, end) of `text` for `rule` (for anchor rules, start ==
// end: only the end is known). A text's candidates come grouped by rule, ends increasing
// within an anchor rule.
std::optional<Finding> ApplyRule(const PatternRule& rule, std::string_view text,
                                 std::uint32_t start, std::uint32_t end, RuleScanState& state);

}  // namespace lanewise::inspect
