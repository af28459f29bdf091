#include "app/server_settings.h"

namespace lanewise::app {

const std::vector<ServerSetting>& ServerSettings() {
  static const std::vector<ServerSetting> kSettings = {
      {"server.listen", false},
      {"server.io_threads", false},
      {"server.max_body_bytes", true},
      {"server.client_header_timeout_ms", true},
      {"server.keep_alive_idle_ms", true},
      {"server.drain_grace_ms", true},
      {"server.lane_breaker", true},
      {"server.audit", false},
  };
  return kSettings;
}

ServerSettingsChange DiffServerSettings(const config::ServerConfig& running,
                                        const config::ServerConfig& next) {
  ServerSettingsChange change;
  auto note = [&change](bool changed, const char* key, bool live) {
    if (!changed) return;
    (live ? change.applied : change.need_restart).emplace_back(key);
  };
  note(running.listen_address != next.listen_address || running.port != next.port, "server.listen",
       false);
  note(running.io_threads != next.io_threads, "server.io_threads", false);
  note(running.max_body_bytes != next.max_body_bytes, "server.max_body_bytes", true);
  note(running.client_header_timeout != next.client_header_timeout,
       "server.client_header_timeout_ms", true);
  note(running.keep_alive_idle != next.keep_alive_idle, "server.keep_alive_idle_ms", true);
  note(running.drain_grace != next.drain_grace, "server.drain_grace_ms", true);
  note(running.breaker_failures_to_open != next.breaker_failures_to_open ||
           running.breaker_open != next.breaker_open ||
           running.breaker_max_open != next.breaker_max_open,
       "server.lane_breaker", true);
  const config::AuditConfig& a = running.audit;
  const config::AuditConfig& b = next.audit;
  note(a.sqlite_path != b.sqlite_path || a.postgres != b.postgres ||
           a.journal_path != b.journal_path || a.queue_capacity != b.queue_capacity ||
           a.retention_days != b.retention_days || a.chain_key != b.chain_key ||
           a.open_timeout != b.open_timeout || a.wait_for_commit != b.wait_for_commit,
       "server.audit", false);
  return change;
}

}  // namespace lanewise::app
