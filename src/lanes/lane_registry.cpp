#include "lanes/lane_registry.h"

#include <exception>

#include "lanes/openai_compatible_lane.h"

namespace lanewise::lanes {

core::Result<std::shared_ptr<LaneRegistry>> LaneRegistry::Build(const config::Config& config) {
  auto registry = std::make_shared<LaneRegistry>();
  for (const auto& lane : config.lanes) {
    if (lane.provider != "openai-compatible") {
      return core::InvalidArgument("lane '" + lane.name + "': provider '" + lane.provider +
                                   "' is not supported");
    }
    try {
      registry->lanes_.emplace(lane.name, std::make_unique<OpenAiCompatibleLane>(lane));
    } catch (const std::exception& e) {
      return core::InvalidArgument("lane '" + lane.name + "': " + e.what(), "tls_config");
    }
  }
  return registry;
}

std::shared_ptr<LaneRegistry> LaneRegistry::FromLanes(std::vector<std::unique_ptr<Lane>> lanes) {
  auto registry = std::make_shared<LaneRegistry>();
  for (auto& lane : lanes) {
    std::string name = lane->name();
    registry->lanes_.emplace(std::move(name), std::move(lane));
  }
  return registry;
}

Lane* LaneRegistry::Find(std::string_view name) const {
  auto it = lanes_.find(name);
  return it == lanes_.end() ? nullptr : it->second.get();
}

}  // namespace lanewise::lanes
