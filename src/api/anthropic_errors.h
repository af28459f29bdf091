// The one place where a Status becomes an Anthropic-shaped error for the Anthropic front:
// HTTP status plus {"type":"error","error":{"type","message"}} (the SDKs pick their error
// class from the status and read error.type). The HTTP status is the OpenAI front's, so
// both fronts agree on what each failure is; the Lanewise reason code is appended to the
// message ("... [no_route]") because Anthropic's envelope has no field for it.
#pragma once

#include <string>

#include "api/openai_errors.h"
#include "core/status.h"

namespace lanewise::api {

ErrorEnvelope ToAnthropicError(const core::Status& status);
// The `{"type":"error","error":{...}}` object alone, for an SSE `error` event.
std::string AnthropicErrorJson(const core::Status& status);

}  // namespace lanewise::api
