#include "app/snapshot_builder.h"

#include "app/alias_router.h"

namespace lanewise::app {
namespace {

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

}  // namespace

core::Result<api::SnapshotPtr> BuildSnapshot(config::ConfigPtr config) {
  auto lanes = lanes::LaneRegistry::Build(*config);
  if (!lanes.ok()) return lanes.status();
  auto snapshot = std::make_shared<api::GatewaySnapshot>();
  snapshot->config = config;
  snapshot->lanes = lanes.value();
  snapshot->executor = std::make_shared<route::Executor>(lanes.value());
  snapshot->inspect = BasicFacts;
  const config::Config* cfg = config.get();  // kept alive by the snapshot
  snapshot->decide = [cfg](const core::ChatRequest&, const core::Facts& facts,
                           const core::LaneStates& states) {
    return RouteByAlias(*cfg, facts, states);
  };
  return api::SnapshotPtr(std::move(snapshot));
}

}  // namespace lanewise::app
