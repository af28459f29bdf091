#include "tools/sim/sim_settings.h"

#include <array>
#include <boost/json/array.hpp>
#include <utility>

namespace lanewise::sim {
namespace {

constexpr std::array<std::pair<Fault, std::string_view>, 8> kFaultNames{{
    {Fault::kNone, "none"},
    {Fault::kStatus, "status"},
    {Fault::kResetBeforeFirstByte, "reset_before_first_byte"},
    {Fault::kResetAfterFirstByte, "reset_after_first_byte"},
    {Fault::kStall, "stall"},
    {Fault::kMalformedChunk, "malformed_chunk"},
    {Fault::kErrorEvent, "error_event"},
    {Fault::kTruncate, "truncate"},
}};

core::Status FieldError(std::string_view key, std::string_view expected) {
  return core::InvalidArgument("sim." + std::string(key) + ": expected " + std::string(expected),
                               "invalid_sim_settings");
}

bool ReadInt(const boost::json::value& value, int& out) {
  if (value.is_int64()) {
    out = static_cast<int>(value.get_int64());
    return true;
  }
  if (value.is_uint64()) {
    out = static_cast<int>(value.get_uint64());
    return true;
  }
  if (value.is_double() && value.get_double() == static_cast<int>(value.get_double())) {
    out = static_cast<int>(value.get_double());
    return true;
  }
  return false;
}

}  // namespace

std::string_view FaultName(Fault fault) {
  for (const auto& [value, name] : kFaultNames) {
    if (value == fault) return name;
  }
  return "none";
}

bool ParseFault(std::string_view name, Fault& fault) {
  for (const auto& [value, fault_name] : kFaultNames) {
    if (fault_name == name) {
      fault = value;
      return true;
    }
  }
  return false;
}

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kWords:
      return "words";
    case Mode::kEcho:
      return "echo";
    case Mode::kReply:
      return "reply";
  }
  return "words";
}

bool ParseMode(std::string_view name, Mode& mode) {
  if (name == "words")
    mode = Mode::kWords;
  else if (name == "echo")
    mode = Mode::kEcho;
  else if (name == "reply")
    mode = Mode::kReply;
  else
    return false;
  return true;
}

bool ParseFlavor(std::string_view name, Flavor& flavor) {
  if (name == "llama")
    flavor = Flavor::kLlama;
  else if (name == "openai")
    flavor = Flavor::kOpenAi;
  else
    return false;
  return true;
}

core::Status ApplySettings(const boost::json::object& patch, Settings& settings) {
  Settings next = settings;
  for (const auto& [key, value] : patch) {
    int number = 0;
    if (key == "mode") {
      if (!value.is_string() || !ParseMode(value.get_string(), next.mode)) {
        return FieldError(key, "\"words\", \"echo\" or \"reply\"");
      }
    } else if (key == "reply") {
      if (!value.is_string()) return FieldError(key, "a string");
      next.reply = value.get_string();
      if (!patch.contains("mode")) next.mode = Mode::kReply;
    } else if (key == "tokens") {
      if (!ReadInt(value, number) || number < 0) return FieldError(key, "a count >= 0");
      next.tokens = number;
    } else if (key == "ttft_ms") {
      if (!ReadInt(value, number) || number < 0) return FieldError(key, "milliseconds >= 0");
      next.ttft_ms = number;
    } else if (key == "tokens_per_second") {
      if (!value.is_number() || value.to_number<double>() < 0) {
        return FieldError(key, "a number >= 0");
      }
      next.tokens_per_second = value.to_number<double>();
    } else if (key == "prefill_tokens_per_second") {
      if (!value.is_number() || value.to_number<double>() < 0) {
        return FieldError(key, "a number >= 0");
      }
      next.prefill_tokens_per_second = value.to_number<double>();
    } else if (key == "slots") {
      if (!ReadInt(value, number) || number < 0 || number > 1024) {
        return FieldError(key, "a count from 0 to 1024");
      }
      next.slots = number;
    } else if (key == "tool_call") {
      if (!value.is_bool()) return FieldError(key, "true or false");
      next.tool_call = value.get_bool();
    } else if (key == "fault") {
      if (value.is_null()) {
        next.fault = Fault::kNone;
      } else if (!value.is_string() || !ParseFault(value.get_string(), next.fault)) {
        return FieldError(key, "a fault name (see docs/simulator.md)");
      }
    } else if (key == "status") {
      if (!ReadInt(value, number) || number < 100 || number > 599) {
        return FieldError(key, "an HTTP status");
      }
      next.status = number;
    } else if (key == "message") {
      if (!value.is_string()) return FieldError(key, "a string");
      next.message = value.get_string();
    } else if (key == "after_chunks") {
      if (!ReadInt(value, number) || number < 0) return FieldError(key, "a count >= 0");
      next.after_chunks = number;
    } else if (key == "stall_ms") {
      if (!ReadInt(value, number) || number < 0) return FieldError(key, "milliseconds >= 0");
      next.stall_ms = number;
    } else if (key == "stall_after_chunks") {
      if (!ReadInt(value, number) || number < -1) return FieldError(key, "a count >= -1");
      next.stall_after_chunks = number;
    } else if (key == "token_logprobs") {
      // A number (every token) or a list of numbers <= 0, cycled over the tokens.
      std::vector<double> values;
      const boost::json::array single{value};
      const boost::json::array& items = value.is_array() ? value.get_array() : single;
      for (const auto& item : items) {
        if (!item.is_number() || item.to_number<double>() > 0) {
          return FieldError(key, "a log-probability <= 0, or a list of them");
        }
        values.push_back(item.to_number<double>());
      }
      next.token_logprobs = std::move(values);
    } else if (key == "weak_lane") {
      if (core::Status status = ApplyWeakLane(value, next.weak_lane); !status.ok()) return status;
    } else {
      return core::InvalidArgument("sim: unknown field '" + std::string(key) + "'",
                                   "invalid_sim_settings");
    }
  }
  settings = std::move(next);
  return core::Status::Ok();
}

boost::json::object SettingsToJson(const Settings& settings) {
  boost::json::object out;
  out["mode"] = ModeName(settings.mode);
  out["reply"] = settings.reply;
  out["tokens"] = settings.tokens;
  out["ttft_ms"] = settings.ttft_ms;
  out["tokens_per_second"] = settings.tokens_per_second;
  out["prefill_tokens_per_second"] = settings.prefill_tokens_per_second;
  out["slots"] = settings.slots;
  out["tool_call"] = settings.tool_call;
  out["fault"] = FaultName(settings.fault);
  out["status"] = settings.status;
  out["message"] = settings.message;
  out["after_chunks"] = settings.after_chunks;
  out["stall_ms"] = settings.stall_ms;
  out["stall_after_chunks"] = settings.stall_after_chunks;
  boost::json::array logprobs;
  for (double value : settings.token_logprobs) logprobs.push_back(value);
  out["token_logprobs"] = std::move(logprobs);
  out["weak_lane"] = WeakLaneToJson(settings.weak_lane);
  return out;
}

}  // namespace lanewise::sim
