// RequestWalker: every piece of text in an OpenAI chat-completions body that would be
// sent to a lane, with its JSON pointer.
//
// The walk is generic: every string value anywhere in the body (messages of any role,
// content parts, names, tool-call arguments, legacy function_call, tool and function
// definitions with their JSON schemas, response_format schemas, stop sequences, user,
// metadata...) except values that are not prose: a short list of protocol keys (model,
// role, type, id, tool_call_id, ...) and inline binary payloads (data: URLs, base64
// audio/file data). Object keys are not scanned. Numbers and booleans are skipped.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace lanewise::inspect {

struct RequestShape {
  bool needs_tools = false;    // tools/functions declared, or tool calls in the history
  bool needs_vision = false;   // an image content part
  std::size_t text_bytes = 0;  // total bytes of the strings visited
};

// Calls visit(pointer, text) for each string to scan, in document order.
RequestShape WalkRequest(
    const boost::json::object& body,
    const std::function<void(const std::string& pointer, std::string_view text)>& visit);

// Appends one JSON pointer reference token, escaping '~' and '/' (RFC 6901).
void AppendPointerToken(std::string& pointer, std::string_view token);

}  // namespace lanewise::inspect
