// ClassResolver: inspection facts + declaration + tenant -> the request's data class.
// Pure; part of policy::Decide, exposed for tests and explanations.
#pragma once

#include <optional>

#include "config/policy.h"
#include "core/facts.h"
#include "policy/explanation.h"

namespace lanewise::policy {

struct ResolvedClass {
  const config::DataClass* data_class = nullptr;  // null when the declared class is unknown
  ClassVerdict verdict;
};

// The detected class is the most sensitive of the default and of every matching
// threshold. A declared class raises it, never lowers it, unless the request's tenant has
// may_lower_class; a tenant's min_class is a floor applied last.
// `with_evidence` false skips building the evidence texts (the decision's hot path).
ResolvedClass ResolveClass(const core::Facts& facts, const config::Policy& policy,
                           bool with_evidence = true);

// Occurrences of `type` in the facts (the larger of entity_counts and the entity list).
int EntityCount(const core::Facts& facts, const std::string& type);

}  // namespace lanewise::policy
