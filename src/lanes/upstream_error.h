// Turning a lane's HTTP error answer into a Status that keeps its status, message and
// details, and telling a lane's own faults from faults of the request it was sent.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace lanewise::lanes {

// `body` may be an OpenAI/llama.cpp error object, an Anthropic one, or plain text. The
// lane's error object is kept whole (Status::upstream_error) so that its code and details
// (llama.cpp's n_prompt_tokens and n_ctx on a context overflow) reach the client.
// `retry_after` is the lane's Retry-After header, if any (seconds, or empty).
core::Status UpstreamHttpError(int http_status, std::string_view body, std::string_view lane,
                               std::string_view retry_after = {});

// For a `data: {"error":...}` event inside a stream.
core::Status UpstreamStreamError(std::string_view json, std::string_view lane);

// True when the lane answered, and its answer says the request itself was at fault: a 4xx
// other than 408/429, or a 5xx that reports a request it could not parse or accept
// (llama.cpp answers malformed JSON with 500 "[json.exception.parse_error...]"). Such a
// failure says nothing about the lane's health and must not count against its breaker;
// another lane would fail the same way.
bool CausedByRequest(const core::Status& status);

// Seconds from a Retry-After header value (delta-seconds only; an HTTP date gives 0).
int ParseRetryAfter(std::string_view value);

}  // namespace lanewise::lanes
