// Loading and validating the gateway's YAML configuration into an immutable Config.
//
// Every error names the source, the 1-based line and column and the path of the
// offending node, e.g.
//   quickstart.yaml:12:7: lanes[1].kind: expected one of local, private, managed, got "cloud"
// Unknown keys are errors. String values may reference the environment
// (${VAR}, ${VAR:-default}; see env_expand.h). Config::version is the first 16 hex
// characters of the SHA-256 of the file's bytes. Thread-safe: no shared state.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "config/env_expand.h"
#include "core/result.h"

namespace lanewise::config {

struct LoadOptions {
  EnvLookup env = ProcessEnvironment();
  // Relative file paths in the config (tls.ca_file) resolve against this directory;
  // empty: the current directory. LoadConfigFile uses the file's directory.
  std::string base_dir;
};

core::Result<ConfigPtr> LoadConfigFile(const std::string& path);
core::Result<ConfigPtr> LoadConfigFile(const std::string& path, const LoadOptions& options);

// `source_name` is used in error messages and as Config::source_path.
core::Result<ConfigPtr> LoadConfigString(std::string_view yaml, std::string source_name);
core::Result<ConfigPtr> LoadConfigString(std::string_view yaml, std::string source_name,
                                         const LoadOptions& options);

// Lowercase hex SHA-256 of `bytes`, truncated to 16 characters.
std::string ContentVersion(std::string_view bytes);

}  // namespace lanewise::config
