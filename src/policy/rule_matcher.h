// Rule conditions against one request's facts. Pure.
#pragma once

#include <string>

#include "config/policy.h"
#include "core/facts.h"

namespace lanewise::policy {

// Whether every condition of `when` holds for a request of class `class_rank`. When not,
// and `why_not` is given, it receives a short description of the first failing condition
// (the text is only built for explanations).
bool ConditionHolds(const config::RuleCondition& when, const core::Facts& facts, int class_rank,
                    const config::Policy& policy, std::string* why_not = nullptr);

}  // namespace lanewise::policy
