// Evidence: what the gateway records about each decision, injected at construction
// (app/serve_command.cpp). Both parts are optional; without them nothing is recorded.
#pragma once

#include <chrono>
#include <memory>

#include "audit/sink.h"
#include "config/config.h"
#include "telemetry/metrics.h"

namespace lanewise::api {

struct Evidence {
  std::shared_ptr<audit::Sink> audit;           // decision records; null: no store
  std::shared_ptr<telemetry::Metrics> metrics;  // GET /metrics; null: 404
  // Longest wait for a decision's open record to be committed before the first attempt.
  std::chrono::milliseconds open_timeout{2000};
  // Whose open record is waited for (committed to the store) before the first attempt.
  config::AuditConfig::CommitWait wait_for_commit = config::AuditConfig::CommitWait::kNone;
};

}  // namespace lanewise::api
