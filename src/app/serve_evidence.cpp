#include "app/serve_evidence.h"

#include "audit/sqlite_store.h"

namespace lanewise::app {

core::Result<ServeEvidence> BuildServeEvidence(const config::Config& config,
                                               std::function<core::LaneStates()> lane_states) {
  ServeEvidence evidence;
  evidence.gateway.metrics = std::make_shared<telemetry::Metrics>();
  telemetry::DeclareGatewayMetrics(*evidence.gateway.metrics);
  std::vector<std::string> configured;
  for (const auto& lane : config.lanes) configured.push_back(lane.name);
  evidence.gateway.metrics->DeclareGaugeFamily(
      "lanewise_lane_breaker_open",
      "1 while the lane's circuit breaker is open (the lane is skipped), else 0",
      [lane_states = std::move(lane_states), configured] {
        const core::LaneStates states = lane_states();
        std::vector<telemetry::GaugeSample> samples;
        for (const auto& name : configured) {
          auto it = states.find(name);
          const bool open = it != states.end() && !it->second.reachable;
          samples.push_back({{{"lane", name}}, open ? 1.0 : 0.0});
        }
        return samples;
      });
  const config::AuditConfig& settings = config.server.audit;
  if (settings.sqlite_path.empty()) return evidence;

  auto store = audit::SqliteStore::Open({settings.sqlite_path, settings.chain_key, true});
  if (!store.ok()) return store.status();
  audit::WriterOptions options;
  options.queue_capacity = settings.queue_capacity;
  options.retention = std::chrono::hours(24LL * settings.retention_days);
  evidence.writer = std::make_shared<audit::QueuedWriter>(std::move(store.value()), options);
  evidence.gateway.audit = evidence.writer;
  evidence.gateway.open_timeout = settings.open_timeout;
  evidence.gateway.wait_for_every_commit = settings.wait_for_every_commit;

  std::weak_ptr<audit::QueuedWriter> weak = evidence.writer;
  evidence.gateway.metrics->DeclareGauge(
      "lanewise_audit_queue_depth", "audit events waiting for the writer thread", [weak] {
        auto writer = weak.lock();
        return writer ? static_cast<double>(writer->QueueDepth()) : 0.0;
      });
  evidence.gateway.metrics->DeclareGauge(
      "lanewise_audit_events_written", "audit events committed since start", [weak] {
        auto writer = weak.lock();
        return writer ? static_cast<double>(writer->Counters().written) : 0.0;
      });
  return evidence;
}

}  // namespace lanewise::app
