#include "app/snapshot_builder.h"

#include <boost/json/array.hpp>

#include "inspect/inspector.h"
#include "policy/engine.h"
#include "redact/request_redactor.h"

namespace lanewise::app {
namespace {

// Without a policy every request is class "public" and nothing is decided on its
// content, so the request is not scanned: only the facts routing needs are copied.
core::Facts BasicFacts(const core::ChatRequest& request) {
  core::Facts facts;
  facts.model_alias = request.model_alias;
  facts.declared_data_class = request.declared_data_class;
  facts.latency_tier = request.latency_tier;
  facts.tenant = request.tenant;
  facts.estimated_input_tokens = request.wire_bytes / 4;
  facts.needs_tools = request.body.contains("tools");
  return facts;
}

boost::json::array EntitiesJson(const core::Facts& facts) {
  boost::json::array entities;
  for (const auto& entity : facts.entities) {
    boost::json::object e;
    e["type"] = entity.type;
    e["location"] = entity.location;
    e["start"] = entity.start;
    e["end"] = entity.end;
    e["confidence"] = entity.confidence;
    entities.push_back(std::move(e));
  }
  return entities;
}

}  // namespace

core::Result<api::SnapshotPtr> BuildSnapshot(config::ConfigPtr config,
                                             std::shared_ptr<lanes::LaneHealth> health) {
  auto lanes = lanes::LaneRegistry::Build(*config);
  if (!lanes.ok()) return lanes.status();
  auto snapshot = std::make_shared<api::GatewaySnapshot>();
  snapshot->config = config;
  snapshot->lanes = lanes.value();
  if (config->policy) {
    auto inspector = inspect::Inspector::Build(config->policy->inspection);
    if (!inspector.ok()) {
      return core::InvalidArgument("policy.inspection: " + inspector.status().message(),
                                   "inspector_build");
    }
    std::shared_ptr<const inspect::Inspector> shared = inspector.value();
    snapshot->inspect = [shared](const core::ChatRequest& request) {
      return shared->Inspect(request);
    };
    snapshot->executor = std::make_shared<route::Executor>(
        lanes.value(), std::make_shared<redact::RequestRedactor>(config, shared), health);
  } else {
    snapshot->inspect = BasicFacts;
    snapshot->executor = std::make_shared<route::Executor>(lanes.value(), nullptr, health);
  }

  const config::Config* cfg = config.get();  // kept alive by the snapshot
  // A decision that serves nothing is still a decision (its record and headers go out);
  // route::DecisionError turns it into the client's error, in one place.
  snapshot->decide = [cfg](const core::ChatRequest&, const core::Facts& facts,
                           const core::LaneStates& states) -> core::Result<core::RouteDecision> {
    return policy::Decide(facts, *cfg, states, {});
  };
  snapshot->explain = [cfg](const core::ChatRequest&, const core::Facts& facts,
                            const core::LaneStates& states) {
    boost::json::object out = policy::ExplainDecision(facts, *cfg, states, {});
    out["entities"] = EntitiesJson(facts);
    return out;
  };
  return api::SnapshotPtr(std::move(snapshot));
}

}  // namespace lanewise::app
