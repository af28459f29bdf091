#include "app/check_command.h"

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
  for (const auto& lane : config.lanes) {
    out << "  lane " << lane.name << " (" << config::LaneKindName(lane.kind) << ") "
        << lane.base_url << ":";
    for (const auto& model : lane.models) out << " " << model.alias;
    out << "\n";
  }
  return 0;
}

}  // namespace lanewise::app
