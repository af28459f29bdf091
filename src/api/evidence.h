// Evidence: what the gateway records about each decision, injected at construction
// (app/serve_command.cpp). Both parts are optional; without them nothing is recorded.
#pragma once

#include <chrono>
#include <memory>

#include "audit/sink.h"
#include "telemetry/metrics.h"

namespace lanewise::api {

struct Evidence {
  std::shared_ptr<audit::Sink> audit;           // decision records; null: no store
  std::shared_ptr<telemetry::Metrics> metrics;  // GET /metrics; null: 404
  // Longest wait for a decision's open record to be committed before the first attempt.
  std::chrono::milliseconds open_timeout{2000};
  // Wait for the open record's commit for every class, or only for evidence classes.
  bool wait_for_every_commit = true;
};

}  // namespace lanewise::api
