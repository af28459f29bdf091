// GatewaySnapshot: everything one request needs that a config reload may replace: the
// config, the lanes built from it, the executor, and the inspect and decide steps.
// Immutable; a request takes the current snapshot once and uses it to the end.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <memory>

#include "config/config.h"
#include "core/chat_request.h"
#include "core/facts.h"
#include "core/lane_state.h"
#include "core/result.h"
#include "core/route_decision.h"
#include "lanes/lane_registry.h"
#include "route/executor.h"

namespace lanewise::api {

// The decision seam: facts about a request in, a checked plan out. "Nothing may serve
// this" (an unknown model or class, a refusal, every allowed lane down) is a decision with
// no_route set; route::DecisionError makes it the client's error.
using DecideFn = std::function<core::Result<core::RouteDecision>(
    const core::ChatRequest&, const core::Facts&, const core::LaneStates&)>;
using InspectFn = std::function<core::Facts(const core::ChatRequest&)>;
// The decision, its explanation and the entities found, for POST /v1/lanewise/explain and
// `lanewise explain`: never entity values, only types, JSON pointers, offsets.
using ExplainFn = std::function<boost::json::object(const core::ChatRequest&, const core::Facts&,
                                                    const core::LaneStates&)>;

struct GatewaySnapshot {
  config::ConfigPtr config;
  std::shared_ptr<const lanes::LaneRegistry> lanes;
  std::shared_ptr<const route::Executor> executor;
  InspectFn inspect;
  DecideFn decide;
  ExplainFn explain;
};

using SnapshotPtr = std::shared_ptr<const GatewaySnapshot>;
using SnapshotSource = std::function<SnapshotPtr()>;
using LaneStateSource = std::function<core::LaneStates()>;

}  // namespace lanewise::api
