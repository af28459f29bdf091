// Random identifiers for requests and decisions (not secrets; not for cryptography).
#pragma once

#include <string>
#include <string_view>

namespace lanewise::core {

// Returns prefix + 24 lowercase hex characters, unique with overwhelming probability.
std::string NewId(std::string_view prefix);

// Whether a client's x-request-id may be echoed and logged as is: 1-128 characters of
// [A-Za-z0-9._-].
bool IsSafeRequestId(std::string_view id);

}  // namespace lanewise::core
