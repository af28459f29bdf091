#include "audit/payload_buffers.h"

namespace lanewise::audit {
namespace {

constexpr std::size_t kLowWater = 8;
constexpr std::size_t kRefill = 64;

std::vector<std::string>& Cache() {
  thread_local std::vector<std::string> cache;
  return cache;
}

}  // namespace

std::string TakePayloadBuffer() {
  std::vector<std::string>& cache = Cache();
  if (cache.empty()) return {};
  std::string buffer = std::move(cache.back());
  cache.pop_back();
  return buffer;
}

void RefillPayloadBuffers(std::vector<std::string>& spare) {
  std::vector<std::string>& cache = Cache();
  if (cache.size() >= kLowWater) return;
  for (std::size_t i = 0; i < kRefill && !spare.empty(); ++i) {
    cache.push_back(std::move(spare.back()));
    spare.pop_back();
  }
}

}  // namespace lanewise::audit
