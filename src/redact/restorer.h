// Restoring: the values a request's redaction took out, put back into the lane's answer.
//
// Only placeholders of the request's own vault are replaced; anything else that looks
// like one is left as it is. Inside tool-call and function-call `arguments` (JSON text
// carried in a string) a value is inserted JSON-escaped, so the arguments stay valid JSON.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "redact/placeholder_vault.h"

namespace lanewise::redact {

enum class InsertAs { kText, kJsonStringContent };

// `text` with every placeholder of `vault` replaced by its value.
std::string RestoreText(std::string_view text, const PlaceholderVault& vault, InsertAs mode);

// A chat.completion body with its choices restored (message content and content parts,
// refusal, reasoning, tool-call and function-call arguments, token logprobs). The body is returned
// as is when the vault is empty; a body that is not JSON is an error.
core::Result<std::string> RestoreCompletionBody(std::string body, const PlaceholderVault& vault);

}  // namespace lanewise::redact
