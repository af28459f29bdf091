// What a request would cost on a lane, from its estimated input tokens, its max_tokens
// (or kDefaultOutputTokens when it sets none) and the lane's declared price.
#pragma once

#include <cstddef>

#include "config/config.h"
#include "core/facts.h"

namespace lanewise::policy {

inline constexpr std::size_t kDefaultOutputTokens = 256;

std::size_t EstimatedOutputTokens(const core::Facts& facts);

// USD: input tokens x input price + output tokens x output price (per million tokens),
// plus per_second x output tokens / output_tokens_per_second. 0 for a lane without price.
double EstimateCostUsd(const config::LanePrice& price, const core::Facts& facts);

}  // namespace lanewise::policy
