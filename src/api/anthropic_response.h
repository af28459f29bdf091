// The Anthropic front's answer side: an OpenAI chat.completion (or its chunks, from any
// lane) rendered as an Anthropic Messages API message (or its SSE events).
//
// Content: text -> a text block, each tool call -> a tool_use block (arguments parsed
// into `input`). finish_reason -> stop_reason: stop -> end_turn, length -> max_tokens,
// tool_calls -> tool_use, content_filter -> refusal. usage -> input/output tokens.
// `stop_sequences` (the client's, kept from the lane: api/stop_sequences.h) are found
// here: the text is cut at the first, stop_reason "stop_sequence" and stop_sequence say so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <vector>

#include "api/stop_sequences.h"
#include "core/result.h"
#include "core/status.h"

namespace lanewise::api {

core::Result<std::string> AnthropicMessageFromCompletion(
    std::string_view completion, const std::vector<std::string>& stop_sequences = {});

// One per stream. Each call returns the SSE text to write (zero or more events, each
// `event: <type>\ndata: <json>\n\n`).
class AnthropicStreamTranslator {
 public:
  // `estimated_input_tokens`: message_start's input_tokens when the lane's first chunk
  // does not say (usage, llama.cpp's timings or prompt_progress); the final count follows
  // in message_delta.
  explicit AnthropicStreamTranslator(std::vector<std::string> stop_sequences = {},
                                     std::int64_t estimated_input_tokens = 0);
  // True once a stop sequence was hit: the caller ends the stream now (OnDone) and stops
  // reading the lane.
  bool Finished() const { return stop_.hit().has_value(); }
  // A chat.completion.chunk; chunks that are not JSON objects are skipped.
  std::string OnChunk(std::string_view chunk);
  // The lane finished cleanly: close the open block, message_delta, message_stop.
  std::string OnDone();
  // The stream broke: one `error` event (never message_stop).
  std::string OnError(const core::Status& status);

 private:
  std::string Start(std::string_view id, std::string_view model, std::int64_t input_tokens);
  std::string TextDelta(std::string_view text);
  std::string CloseBlock();
  std::string OpenBlock(std::string_view block_json);

  bool started_ = false;
  int block_index_ = -1;    // index of the open block, -1 when none is open
  std::string block_kind_;  // "text" or "tool:<openai index>"
  std::string stop_reason_ = "end_turn";
  std::int64_t input_tokens_ = 0;
  std::int64_t output_tokens_ = 0;
  std::int64_t estimated_input_tokens_ = 0;
  std::int64_t deltas_ = 0;  // content pieces seen: output_tokens when no usage came
  bool usage_seen_ = false;
  StopSequenceMatcher stop_;
};

}  // namespace lanewise::api
