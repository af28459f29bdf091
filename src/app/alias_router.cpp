#include "app/alias_router.h"

#include "core/ids.h"

namespace lanewise::app {

core::Result<core::RouteDecision> RouteByAlias(const config::Config& config,
                                               const core::Facts& facts,
                                               const core::LaneStates& lanes) {
  (void)lanes;
  auto target = config.ResolveAlias(facts.model_alias);
  if (!target) {
    return core::NotFound("The model '" + facts.model_alias +
                              "' does not exist on this gateway; GET /v1/models lists the "
                              "available models.",
                          "model_not_found");
  }
  core::RouteDecision decision;
  decision.decision_id = core::NewId("dec_");
  decision.created_at = std::chrono::system_clock::now();
  decision.policy_version = config.version;
  decision.data_class = "public";
  decision.reasons.push_back("alias:" + facts.model_alias);
  decision.plan.push_back({target->lane->name, target->route->upstream_model, "primary", false});
  return decision;
}

}  // namespace lanewise::app
