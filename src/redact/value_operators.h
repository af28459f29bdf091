// The text that replaces one detected value, per redaction operator (docs/redaction.md).
#pragma once

#include <string>
#include <string_view>

#include "config/policy.h"
#include "redact/placeholder_vault.h"

namespace lanewise::redact {

// Every letter and digit becomes '*'; separators stay. Values with at least ten digits
// keep their last four characters (the receipt form of a card or account number).
std::string MaskValue(std::string_view value);

// What `value` of `type` becomes under `op`. Placeholders are registered in `vault`.
std::string ReplacementFor(config::RedactionOperator op, std::string_view type,
                           std::string_view value, PlaceholderVault& vault);

}  // namespace lanewise::redact
