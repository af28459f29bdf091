// Completion: what the simulated model "generates" for a request, decided up front from
// the request and the settings, so that every wire format and fault renders the same text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/sim/chat_params.h"
#include "tools/sim/sim_settings.h"

namespace lanewise::sim {

struct ToolCallPlan {
  std::string id;
  std::string name;
  std::string arguments;               // compact JSON text
  std::vector<std::string> fragments;  // `arguments` split for streaming
};

// One token as its logprobs entry describes it.
struct LogprobToken {
  std::string_view token;
  std::optional<double> chosen;  // configured log-probability; absent: made up
};

struct ChoicePlan {
  std::vector<std::string> tokens;  // content pieces; empty for a tool call
  // Configured log-probabilities (sim.token_logprobs), one per token; empty: made up.
  std::vector<double> logprobs;
  LogprobToken LogprobAt(std::size_t i) const;
  std::vector<LogprobToken> LogprobTokens() const;
  std::optional<ToolCallPlan> tool_call;
  std::string finish_reason;  // "stop", "length" or "tool_calls"
  std::string Content() const;
  int TokenCount() const;
};

struct Completion {
  std::vector<ChoicePlan> choices;
  int prompt_tokens = 0;
};

Completion PlanCompletion(const ChatParams& params, const Settings& settings, Flavor flavor);

// Deterministic arguments that satisfy the simple parts of a JSON schema (types, enums).
std::string ArgumentsForSchema(const boost::json::object& schema, std::uint64_t seed);

}  // namespace lanewise::sim
