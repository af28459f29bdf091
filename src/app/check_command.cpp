#include "app/check_command.h"

#include "app/server_settings.h"
#include "app/snapshot_builder.h"
#include "config/config_loader.h"

namespace lanewise::app {

int RunCheck(const std::string& path, std::ostream& out, std::ostream& err) {
  auto loaded = config::LoadConfigFile(path);
  if (!loaded.ok()) {
    err << loaded.status().message() << "\n";
    return 1;
  }
  auto built = BuildSnapshot(loaded.value());
  if (!built.ok()) {
    err << path << ": " << built.status().message() << "\n";
    return 1;
  }
  const config::Config& config = *loaded.value();
  out << path << ": ok (version " << config.version << ")\n";
  for (const auto& warning : config.warnings) out << "  warning: " << warning << "\n";
  for (const auto& lane : config.lanes) {
    out << "  lane " << lane.name << " (" << config::LaneKindName(lane.kind) << ") "
        << lane.base_url << ":";
    for (const auto& model : lane.models) out << " " << model.alias;
    out << "\n";
  }
  out << "  on reload (SIGHUP or a file change): lanes, models and policy apply at once;\n";
  for (const auto& setting : ServerSettings()) {
    out << "    " << setting.key << ": "
        << (setting.live ? "applied live" : "needs a restart (kept on reload, with a warning)")
        << "\n";
  }
  return 0;
}

}  // namespace lanewise::app
