// Environment-variable expansion for configuration string values.
//
//   ${NAME}            the variable's value; an error when NAME is not set
//   ${NAME:-fallback}  the value, or `fallback` when NAME is unset or empty
//   $$                 a literal '$'
// Any other '$' is kept as written. The lookup is injectable so tests need not touch the
// process environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lanewise::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Reads the process environment (std::getenv).
EnvLookup ProcessEnvironment();

// True when `name` is a valid environment variable name: [A-Za-z_][A-Za-z0-9_]*.
bool IsEnvVarName(std::string_view name);

// Expands the references in `text`. The error message names the offending variable and
// does not repeat the rest of the text.
core::Result<std::string> ExpandEnv(std::string_view text, const EnvLookup& env);

}  // namespace lanewise::config
