#include "config/env_expand.h"

#include <cstdlib>

namespace lanewise::config {

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

bool IsEnvVarName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

core::Result<std::string> ExpandEnv(std::string_view text, const EnvLookup& env) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      ++i;
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] != '{') {
      out += c;
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return core::InvalidArgument("unterminated \"${\" in environment reference",
                                   "invalid_config");
    }
    std::string_view body = text.substr(i + 2, close - i - 2);
    std::optional<std::string_view> fallback;
    if (const std::size_t sep = body.find(":-"); sep != std::string_view::npos) {
      fallback = body.substr(sep + 2);
      body = body.substr(0, sep);
    }
    if (!IsEnvVarName(body)) {
      return core::InvalidArgument(
          "invalid environment variable name \"" + std::string(body) + "\" in ${...}",
          "invalid_config");
    }
    std::optional<std::string> value = env ? env(std::string(body)) : std::nullopt;
    if (fallback.has_value() && (!value.has_value() || value->empty())) {
      out += *fallback;
    } else if (value.has_value()) {
      out += *value;
    } else {
      return core::InvalidArgument("environment variable " + std::string(body) +
                                       " is not set (write ${" + std::string(body) +
                                       ":-default} to give a default)",
                                   "invalid_config");
    }
    i = close + 1;
  }
  return out;
}

}  // namespace lanewise::config
