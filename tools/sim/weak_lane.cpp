#include "tools/sim/weak_lane.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string_view>

#include "tools/sim/text_gen.h"

namespace lanewise::sim {
namespace {

// Uniform in (0, 1): never 0, so that log() is finite.
double Uniform(SeededSequence& sequence) {
  return (static_cast<double>(sequence.Next() >> 11) + 0.5) * 0x1.0p-53;
}

double StandardNormal(SeededSequence& sequence) {  // Box-Muller
  const double u = Uniform(sequence);
  const double v = Uniform(sequence);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * v);
}

double Exponential(SeededSequence& sequence, double mean) {
  return -mean * std::log(Uniform(sequence));
}

core::Status FieldError(std::string_view key, std::string_view expected) {
  return core::InvalidArgument(
      "sim.weak_lane." + std::string(key) + ": expected " + std::string(expected),
      "invalid_sim_settings");
}

bool ReadNumber(const boost::json::value& value, double low, double high, double& out) {
  if (!value.is_number()) return false;
  const double number = value.to_number<double>();
  if (!(number >= low && number <= high)) return false;
  out = number;
  return true;
}

}  // namespace

WeakAnswer PlanWeakAnswer(const WeakLaneSettings& settings, std::uint64_t messages_hash,
                          int tokens) {
  SeededSequence sequence(messages_hash ^ (settings.seed * 0x9e3779b97f4a7c15ULL));
  WeakAnswer answer;
  answer.right = Uniform(sequence) < settings.right_share;
  const double median = answer.right ? settings.right_fork_rate : settings.wrong_fork_rate;
  const double fork_rate =
      std::min(0.95, median * std::exp(settings.fork_rate_spread * StandardNormal(sequence)));
  const int low = std::max(1, tokens / 2);
  const int high = std::max(low, tokens * 3 / 2);
  const int words =
      low + static_cast<int>(sequence.Next() % static_cast<std::uint64_t>(high - low + 1));
  answer.tokens = WordTokens(sequence.Next(), words);
  answer.tokens.emplace_back(answer.right ? " [weak:right]" : " [weak:wrong]");
  for (std::size_t i = 0; i < answer.tokens.size(); ++i) {
    const bool fork = Uniform(sequence) < fork_rate;
    answer.logprobs.push_back(
        -Exponential(sequence, fork ? settings.fork_logprob_mean : settings.base_logprob_mean));
  }
  return answer;
}

core::Status ApplyWeakLane(const boost::json::value& patch, WeakLaneSettings& settings) {
  WeakLaneSettings next = settings;
  if (patch.is_null() || patch.is_bool()) {
    next.enabled = patch.is_bool() && patch.get_bool();
    settings = next;
    return core::Status::Ok();
  }
  if (!patch.is_object()) return FieldError("", "an object, true, false or null");
  next.enabled = true;
  for (const auto& [key, value] : patch.get_object()) {
    double number = 0;
    if (key == "seed") {
      if (!value.is_int64() && !value.is_uint64()) return FieldError(key, "an integer");
      next.seed =
          value.is_uint64() ? value.get_uint64() : static_cast<std::uint64_t>(value.get_int64());
      continue;
    }
    double* field = key == "right_share"         ? &next.right_share
                    : key == "right_fork_rate"   ? &next.right_fork_rate
                    : key == "wrong_fork_rate"   ? &next.wrong_fork_rate
                    : key == "fork_rate_spread"  ? &next.fork_rate_spread
                    : key == "fork_logprob_mean" ? &next.fork_logprob_mean
                    : key == "base_logprob_mean" ? &next.base_logprob_mean
                                                 : nullptr;
    if (field == nullptr) {
      return core::InvalidArgument("sim.weak_lane: unknown field '" + std::string(key) + "'",
                                   "invalid_sim_settings");
    }
    const bool is_share = key == "right_share" || key.ends_with("fork_rate");
    if (!ReadNumber(value, 0.0, is_share ? 1.0 : 100.0, number)) {
      return FieldError(key, is_share ? "a number in [0, 1]" : "a number in [0, 100]");
    }
    *field = number;
  }
  settings = next;
  return core::Status::Ok();
}

boost::json::value WeakLaneToJson(const WeakLaneSettings& settings) {
  if (!settings.enabled) return nullptr;
  return boost::json::object{
      {"right_share", settings.right_share},
      {"seed", settings.seed},
      {"right_fork_rate", settings.right_fork_rate},
      {"wrong_fork_rate", settings.wrong_fork_rate},
      {"fork_rate_spread", settings.fork_rate_spread},
      {"fork_logprob_mean", settings.fork_logprob_mean},
      {"base_logprob_mean", settings.base_logprob_mean},
  };
}

}  // namespace lanewise::sim
