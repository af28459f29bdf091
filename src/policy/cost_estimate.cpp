#include "policy/cost_estimate.h"

namespace lanewise::policy {

std::size_t EstimatedOutputTokens(const core::Facts& facts) {
  return facts.max_output_tokens > 0 ? facts.max_output_tokens : kDefaultOutputTokens;
}

double EstimateCostUsd(const config::LanePrice& price, const core::Facts& facts) {
  constexpr double kPerMillion = 1e-6;
  const auto input = static_cast<double>(facts.estimated_input_tokens);
  const auto output = static_cast<double>(EstimatedOutputTokens(facts));
  return input * price.input_per_mtok * kPerMillion + output * price.output_per_mtok * kPerMillion +
         price.per_second * output / price.output_tokens_per_second;
}

}  // namespace lanewise::policy
