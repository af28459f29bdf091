#include "route/decision_error.h"

#include <string>

#include "policy/engine.h"

namespace lanewise::route {

core::Status DecisionError(const core::RouteDecision& decision, std::string_view model_alias) {
  core::Status status = policy::DecisionStatus(decision);
  if (status.ok()) return status;
  const std::string why = status.reason();
  switch (status.code()) {
    case core::StatusCode::kNotFound:
      return core::NotFound("The model '" + std::string(model_alias) +
                                "' does not exist on this gateway; GET /v1/models lists the "
                                "available models.",
                            "model_not_found");
    case core::StatusCode::kInvalidArgument:
      return status;  // unknown_data_class: the client named a class the policy lacks
    case core::StatusCode::kUnavailable:
      return core::Status(core::StatusCode::kUnavailable,
                          "every lane allowed for data class '" + decision.data_class +
                              "' is down; the request was not sent to any other lane",
                          policy::reason::kAllowedLanesDown);
    default:
      return core::Status(core::StatusCode::kPermissionDenied,
                          "no lane may serve this request: the policy allows none for data "
                          "class '" +
                              decision.data_class + "' (" + why + ")",
                          "no_route");
  }
}

}  // namespace lanewise::route
