#include "core/ids.h"

#include <array>
#include <cstdint>
#include <random>

namespace lanewise::core {

std::string NewId(std::string_view prefix) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(prefix.size() + 24);
  id += prefix;
  for (int word = 0; word < 3; ++word) {
    std::uint64_t bits = rng();
    for (int i = 0; i < 8; ++i, bits >>= 4) id.push_back(kHex[bits & 0xF]);
  }
  return id;
}

bool IsSafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace lanewise::core
