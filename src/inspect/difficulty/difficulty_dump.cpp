#include "inspect/difficulty/difficulty_dump.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace lanewise::inspect {
namespace {

void Append(std::string& out, std::size_t index, double value) {
  char buffer[64];
  const int n =
      std::snprintf(buffer, sizeof buffer, "%s%zu:%.9g", out.empty() ? "" : " ", index, value);
  out.append(buffer, static_cast<std::size_t>(n));
}

}  // namespace

std::string DifficultyFeatureLine(const DifficultyFeatures& features) {
  std::string out;
  const std::size_t split = features.KindOffset();
  for (std::size_t i = 0; i < kDenseFeatureCount; ++i) {
    if (features.dense[i] != 0.0f) Append(out, i, features.dense[i]);
  }
  for (std::size_t i = 0; i < kDenseFeatureCount; ++i) {
    if (features.dense[i] != 0.0f) Append(out, split + i, features.dense[i]);
  }
  // Occurrences of a bucket add up: the value is count * HashedValue(), as Score sums it.
  std::map<std::uint32_t, std::size_t> counts;
  for (std::uint32_t bucket : features.hashed) ++counts[bucket];
  const double each = features.HashedValue();
  for (const auto& [bucket, count] : counts) {
    Append(out, kHashedFeatureOffset + bucket, static_cast<double>(count) * each);
  }
  for (const auto& [bucket, count] : counts) {
    Append(out, features.KindHashedOffset() + bucket, static_cast<double>(count) * each);
  }
  return out;
}

}  // namespace lanewise::inspect
