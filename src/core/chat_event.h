// ChatEvent and ChatResponse: what a lane hands back to the executor and the front.
//
// A non-streaming answer is one ChatResponse. A streaming answer is a sequence of
// ChatEvents: chunks in the canonical OpenAI chat.completion.chunk shape, then exactly one
// terminal event, kDone when the lane finished cleanly or kError when it did not. A stream
// that just stops without a terminal event is never passed on as complete.
#pragma once

#include <string>

#include "core/status.h"

namespace lanewise::core {

struct ChatResponse {
  int http_status = 200;
  std::string body;  // canonical OpenAI chat.completion JSON text
};

struct ChatEvent {
  enum class Kind { kChunk, kDone, kError };
  Kind kind = Kind::kChunk;
  std::string data;  // kChunk: the chunk's JSON text
  Status error;      // kError: why the stream ended early

  static ChatEvent Chunk(std::string json) { return {Kind::kChunk, std::move(json), {}}; }
  static ChatEvent Done() { return {Kind::kDone, {}, {}}; }
  static ChatEvent Error(Status s) { return {Kind::kError, {}, std::move(s)}; }
};

}  // namespace lanewise::core
