// The evidence `lanewise serve` keeps: the audit writer for server.audit (when set) and
// the metrics. Built once at start (the audit settings are not reloaded).
#pragma once

#include <functional>
#include <memory>

#include "api/evidence.h"
#include "audit/queued_writer.h"
#include "config/config.h"
#include "core/lane_state.h"
#include "core/result.h"

namespace lanewise::app {

struct ServeEvidence {
  api::Evidence gateway;
  std::shared_ptr<audit::QueuedWriter> writer;  // null without server.audit

  // Writes every queued record and stops the writer; call once the server has stopped.
  void Stop() {
    if (writer) writer->Stop();
  }
};

// `lane_states`: the lanes' breaker view, for lanewise_lane_breaker_open.
core::Result<ServeEvidence> BuildServeEvidence(const config::Config& config,
                                               std::function<core::LaneStates()> lane_states);

}  // namespace lanewise::app
