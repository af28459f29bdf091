// Random identifiers for requests and decisions (not secrets; not for cryptography).
#pragma once

#include <string>
#include <string_view>

namespace lanewise::core {

// Returns prefix + 24 lowercase hex characters, unique with overwhelming probability.
std::string NewId(std::string_view prefix);

}  // namespace lanewise::core
