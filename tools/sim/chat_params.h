// ChatParams: what the simulator needs from an OpenAI chat-completions request body.
// Parsing is lenient where llama-server is (unknown fields, unknown roles) and strict where
// it is (missing messages, wrong types), with llama-server's messages.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace lanewise::sim {

enum class ResponseFormat { kText, kJsonObject, kJsonSchema };
enum class ToolChoice { kAuto, kNone, kRequired, kNamed };

struct ToolSpec {
  std::string name;
  boost::json::object parameters;  // JSON schema; may be empty
};

struct ChatParams {
  std::string model;  // as requested; may be empty
  bool stream = false;
  bool include_usage = false;
  bool logprobs = false;
  int top_logprobs = 0;
  std::optional<int> max_tokens;  // max_tokens, max_completion_tokens or n_predict
  int n = 1;
  std::vector<std::string> stop;
  ResponseFormat response_format = ResponseFormat::kText;
  boost::json::object schema;  // response_format.json_schema.schema, if any
  std::vector<ToolSpec> tools;
  ToolChoice tool_choice = ToolChoice::kAuto;
  std::string tool_choice_name;  // for kNamed
  std::string last_user_text;
  std::uint64_t messages_hash = 0;
  int prompt_tokens = 0;
  std::optional<boost::json::object> sim;  // the per-request control object
};

// Errors: reason "invalid_json" (llama-server answers 500 for those) or kInvalidArgument.
core::Result<ChatParams> ParseChatRequest(std::string_view body);

}  // namespace lanewise::sim
