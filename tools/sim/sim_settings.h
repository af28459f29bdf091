// Settings: how the simulator answers. Start-up defaults come from the command line,
// POST /__sim/config changes them at run time, and a request may override them with a
// top-level "sim" object (see docs/simulator.md). All three use the same field names.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tools/sim/weak_lane.h"

namespace lanewise::sim {

enum class Flavor { kLlama, kOpenAi };

enum class Mode { kWords, kEcho, kReply };

enum class Fault {
  kNone,
  kStatus,                // an HTTP error status with the flavour's error body
  kResetBeforeFirstByte,  // TCP reset, no response at all
  kResetAfterFirstByte,   // headers and some chunks (or half a body), then a reset
  kStall,                 // a pause before the first byte or after some chunks
  kMalformedChunk,        // a frame that is not valid JSON, then the stream goes on
  kErrorEvent,            // data: {"error":...} after some chunks, no [DONE]
  kTruncate,              // the body ends cleanly but early: no finish chunk, no [DONE]
};

struct Settings {
  Mode mode = Mode::kWords;
  std::string reply;  // for Mode::kReply
  int tokens = 16;    // answer length in words mode
  int ttft_ms = 0;
  double tokens_per_second = 0;  // 0: as fast as possible
  // Prompt processing: the first token also waits prompt_tokens / this (0: no wait).
  double prefill_tokens_per_second = 0;
  // Generation slots (llama-server's --parallel): more requests than this at once wait,
  // first come first served, for a slot to free up (0: no limit).
  int slots = 0;
  bool tool_call = false;
  Fault fault = Fault::kNone;
  int status = 500;             // for Fault::kStatus
  std::string message;          // error message for kStatus / kErrorEvent (optional)
  int after_chunks = 2;         // SSE frames (the role chunk included) before the fault
  int stall_ms = 30000;         // for Fault::kStall
  int stall_after_chunks = -1;  // -1: stall before the first byte
  // The sampled tokens' log-probabilities when logprobs are asked for, cycled over the
  // answer (a cascade's confident or doubtful lane); empty: made up per token.
  std::vector<double> token_logprobs;
  // Words mode: answer like a weak model whose answers are right or wrong, with token
  // logprobs drawn by verdict (weak_lane.h); replaces token_logprobs.
  WeakLaneSettings weak_lane;
};

std::string_view FaultName(Fault fault);
std::string_view ModeName(Mode mode);
// Parses "words" / "echo" / "reply"; false if unknown.
bool ParseMode(std::string_view name, Mode& mode);
// Parses a fault name ("none", "status", "reset_before_first_byte", ...); false if unknown.
bool ParseFault(std::string_view name, Fault& fault);
bool ParseFlavor(std::string_view name, Flavor& flavor);

// Applies the fields present in `patch` over `settings`. Unknown fields and wrong types are
// errors (kInvalidArgument) so that a typo in a test does not silently do nothing.
core::Status ApplySettings(const boost::json::object& patch, Settings& settings);

boost::json::object SettingsToJson(const Settings& settings);

}  // namespace lanewise::sim
