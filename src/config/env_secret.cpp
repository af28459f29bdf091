// Secrets (API keys, the redaction key) come from environment variables named in the
// config, never from the file itself.
#include "config/env_expand.h"
#include "config/policy_loader.h"

namespace lanewise::config {

std::string ReadEnvSecret(const NodeRef& node, const LoadOptions& options, std::size_t min_bytes) {
  const std::string name = node.NonEmptyString();
  if (!IsEnvVarName(name)) node.Fail("expected an environment variable name, got \"" + name + "\"");
  std::optional<std::string> value = options.env ? options.env(name) : std::optional<std::string>();
  if (!value.has_value()) node.Fail("environment variable " + name + " is not set");
  if (value->empty()) node.Fail("environment variable " + name + " is empty");
  if (value->size() < min_bytes) {
    node.Fail("environment variable " + name + " holds " + std::to_string(value->size()) +
              " bytes; at least " + std::to_string(min_bytes) + " are needed");
  }
  return std::move(*value);
}

}  // namespace lanewise::config
