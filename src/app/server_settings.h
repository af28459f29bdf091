// Which `server:` settings a reload (SIGHUP or a file change) applies to the running
// gateway, and which only take effect on a restart. `lanewise check` prints the table;
// a reload applies the live ones and names every restart-only change it could not apply.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace lanewise::app {

struct ServerSetting {
  const char* key;  // as written in the YAML, e.g. "server.max_body_bytes"
  bool live;        // applied by a reload; otherwise only at start
};

// Every server setting, in YAML order.
const std::vector<ServerSetting>& ServerSettings();

struct ServerSettingsChange {
  std::vector<std::string> applied;       // keys changed and applied live
  std::vector<std::string> need_restart;  // keys changed that keep their running value
};

ServerSettingsChange DiffServerSettings(const config::ServerConfig& running,
                                        const config::ServerConfig& next);

}  // namespace lanewise::app
