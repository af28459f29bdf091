// The one place where a Status becomes an OpenAI-shaped error: HTTP status plus
// {"error":{"message","type","param","code"}}.
#pragma once

#include <string>

#include "core/status.h"

namespace lanewise::api {

struct ErrorEnvelope {
  int http_status = 500;
  std::string body;     // JSON text
  int retry_after = 0;  // seconds for a Retry-After header; 0: none
};

// Seconds a client should wait before retrying this error: the lane's own Retry-After when
// it sent one; otherwise 1 for what is worth retrying (429, 503, a lane that is down or
// answered garbage: 502); 0 for everything else.
int RetryAfterSeconds(const core::Status& status, int http_status);

ErrorEnvelope ToOpenAiError(const core::Status& status);
// The `{"error":{...}}` object alone, for an SSE error event.
std::string OpenAiErrorJson(const core::Status& status);

}  // namespace lanewise::api
