// `lanewise serve`: load the config, start the gateway, reload on SIGHUP, drain on SIGTERM.
#pragma once

#include <string>

namespace lanewise::app {

struct ServeOptions {
  std::string config_path;
  std::string listen;  // overrides server.listen when set ("host:port")
};

int RunServe(const ServeOptions& options);

}  // namespace lanewise::app
