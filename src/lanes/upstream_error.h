// Turning a lane's HTTP error answer into a Status that keeps its status and message.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace lanewise::lanes {

// `body` may be an OpenAI/llama.cpp error object, an Anthropic one, or plain text.
core::Status UpstreamHttpError(int http_status, std::string_view body, std::string_view lane);

// For a `data: {"error":...}` event inside a stream.
core::Status UpstreamStreamError(std::string_view json, std::string_view lane);

}  // namespace lanewise::lanes
