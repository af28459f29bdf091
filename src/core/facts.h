// Facts: what inspection learned about one request, the input of the policy decision.
// Produced by inspect::Inspector, read by policy::Engine; holds no raw values.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/chat_request.h"
#include "core/entity.h"
#include "core/type_counts.h"

namespace lanewise::core {

struct Facts {
  std::vector<Entity> entities;
  TypeCounts entity_counts;        // by type
  double sensitivity_score = 0.0;  // PRISM-style; see inspect/sensitivity_scorer.h
  int max_entity_sensitivity = 0;  // highest sensitivity level of any entity

  std::size_t estimated_input_tokens = 0;
  bool needs_tools = false;
  bool needs_vision = false;
  double difficulty = -1.0;           // [0,1]; -1 when not scored
  std::size_t max_output_tokens = 0;  // max_tokens of the request; 0 when not given
  // The routing objective the request asks for (x-lanewise-objective header, else
  // metadata.lanewise_objective); empty when none. Validated by the policy.
  std::string objective;
  // The client's x-request-id holds a sensitive value: lanes get the decision id instead.
  bool request_id_sensitive = false;

  // Copied from the request for the policy's convenience.
  std::string model_alias;
  std::string declared_data_class;
  LatencyTier latency_tier = LatencyTier::kUnspecified;
  // x-lanewise-deadline-ms: the answer is wanted within this many ms (0: none given).
  long long deadline_ms = 0;
  // x-lanewise-session (state/session_store.h): the class the session has already reached
  // (a floor: a session's class only rises) and the lane that served its last turn
  // (affinity); empty when the request has no session or the session is new.
  std::string session_class;
  std::string session_lane;
  std::string tenant;
};

}  // namespace lanewise::core
