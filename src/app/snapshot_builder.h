// Building a GatewaySnapshot from a loaded config: lanes, executor, inspection, decision.
#pragma once

#include "api/gateway_snapshot.h"
#include "config/config.h"
#include "core/result.h"

namespace lanewise::app {

core::Result<api::SnapshotPtr> BuildSnapshot(config::ConfigPtr config);

}  // namespace lanewise::app
