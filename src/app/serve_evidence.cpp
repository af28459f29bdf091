#include "app/serve_evidence.h"

#include "audit/store.h"
#include "telemetry/json_log.h"

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
  if (settings.sqlite_path.empty() && settings.postgres.empty()) return evidence;

  audit::StoreOptions store_options;
  store_options.sqlite_path = settings.sqlite_path;
  store_options.postgres = settings.postgres;
  store_options.chain_key = settings.chain_key;
  auto store = audit::OpenStore(store_options);
  if (!store.ok()) return store.status();
  audit::WriterOptions options;
  options.queue_capacity = settings.queue_capacity;
  options.retention = std::chrono::hours(24LL * settings.retention_days);
  options.journal_path = settings.journal_path;
  auto started = audit::QueuedWriter::Start(std::move(store.value()), options);
  if (!started.ok()) return started.status();
  evidence.writer = std::move(started.value());
  if (evidence.writer->recovered() > 0) {
    telemetry::Log(telemetry::LogLevel::kWarn,
                   "audit events of an earlier run recovered from the journal",
                   {{"events", evidence.writer->recovered()}, {"journal", settings.journal_path}});
  }
  evidence.gateway.audit = evidence.writer;
  evidence.gateway.open_timeout = settings.open_timeout;
  evidence.gateway.wait_for_commit = settings.wait_for_commit;

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
