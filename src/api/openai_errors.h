// The one place where a Status becomes an OpenAI-shaped error: HTTP status plus
// {"error":{"message","type","param","code"}}.
#pragma once

#include <string>

#include "core/status.h"

namespace lanewise::api {

struct ErrorEnvelope {
  int http_status = 500;
  std::string body;  // JSON text
};

ErrorEnvelope ToOpenAiError(const core::Status& status);
// The `{"error":{...}}` object alone, for an SSE error event.
std::string OpenAiErrorJson(const core::Status& status);

}  // namespace lanewise::api
