// Rule conditions against one request's facts. Pure.
#pragma once

#include <string>

#include "config/policy.h"
#include "core/facts.h"

namespace lanewise::policy {

// Empty when every condition of `when` holds for a request of class `class_rank`;
// otherwise a short description of the first condition that does not.
std::string ConditionMismatch(const config::RuleCondition& when, const core::Facts& facts,
                              int class_rank, const config::Policy& policy);

}  // namespace lanewise::policy
