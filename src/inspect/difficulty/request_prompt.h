// RequestPrompt: the parts of a chat request that the difficulty score reads, taken
// straight from the request body (messages[].content strings and text parts), without
// copying any text. The views point into the body and live as long as it does.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string_view>
#include <vector>

namespace lanewise::inspect {

struct RequestPrompt {
  // The text parts of the last user message, in order (usually one).
  std::vector<std::string_view> last_user_parts;
  std::size_t user_turns = 0;          // messages with role "user"
  std::size_t conversation_bytes = 0;  // text bytes of every message
  bool has_system = false;             // a system or developer message
};

// Fills `out` (cleared first; its vectors keep their capacity for reuse).
void ReadRequestPrompt(const boost::json::object& body, RequestPrompt& out);

// max_tokens (or max_completion_tokens) of the request, 0 when absent or not a positive
// integer.
std::size_t RequestedMaxTokens(const boost::json::object& body);

// metadata.lanewise_objective when it is a string, else empty.
std::string_view MetadataObjective(const boost::json::object& body);

}  // namespace lanewise::inspect
