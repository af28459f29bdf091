// Building a GatewaySnapshot from a loaded config: lanes, executor, inspection, decision.
#pragma once

#include "api/gateway_snapshot.h"
#include "config/config.h"
#include "core/result.h"
#include "lanes/lane_health.h"

namespace lanewise::app {

// `health` (may be null) is the server's lane breaker, shared by every snapshot.
core::Result<api::SnapshotPtr> BuildSnapshot(config::ConfigPtr config,
                                             std::shared_ptr<lanes::LaneHealth> health = nullptr);

}  // namespace lanewise::app
