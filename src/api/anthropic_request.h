// The Anthropic front's request side: a Messages API body (POST /v1/messages) translated
// into the canonical OpenAI chat-completions shape, so that inspection, policy, redaction
// and every lane work on it unchanged.
//
// Translated: `system` (string or text blocks) -> a system message; text and image
// blocks -> content parts; assistant `tool_use` blocks -> `tool_calls` (input serialised as
// arguments); user `tool_result` blocks -> `tool` messages; `tools` -> functions;
// `tool_choice`; `max_tokens`, `temperature`, `top_p`, `top_k`, `stop_sequences` (as
// `stop`), `stream` (with usage, which the final message_delta reports). Fields only
// Anthropic's API understands (thinking, service_tier, ...) are not sent to lanes.
// Lanewise hints come from the x-lanewise-* headers.
#pragma once

#include <string_view>

#include "api/chat_request_parser.h"
#include "core/chat_request.h"
#include "core/result.h"

namespace lanewise::api {

core::Result<core::ChatRequest> ParseAnthropicRequest(std::string_view body,
                                                      const RequestHints& hints);

}  // namespace lanewise::api
