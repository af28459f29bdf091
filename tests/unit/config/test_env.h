// Helpers shared by the config unit tests.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "config/config_loader.h"

namespace lanewise::config::testing {

inline LoadOptions OptionsWithEnv(std::map<std::string, std::string> vars) {
  LoadOptions options;
  options.env = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return options;
}

// The error message of loading `yaml`, or "" when it loads.
inline std::string LoadError(const std::string& yaml,
                             const LoadOptions& options = OptionsWithEnv({})) {
  auto result = LoadConfigString(yaml, "test.yaml", options);
  return result.ok() ? std::string() : result.status().message();
}

}  // namespace lanewise::config::testing
