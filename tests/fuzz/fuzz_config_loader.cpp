// libFuzzer target: the YAML config and policy loader (any bytes as a config file). Errors
// are values; nothing may crash, hang or leak, whatever the file says.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  lanewise::config::LoadOptions options;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "FUZZ_KEY") return std::string("sk-fuzz-0123456789");
    return std::nullopt;
  };
  auto loaded = lanewise::config::LoadConfigString(yaml, "fuzz.yaml", options);
  if (loaded.ok() && (*loaded)->lanes.empty()) __builtin_trap();  // a config has lanes
  return 0;
}
