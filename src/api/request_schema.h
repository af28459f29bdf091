// RequestSchema: what of an OpenAI chat-completions body may reach a lane.
//
// Every field of the canonical request is one of three things (docs/request-fields.md
// lists them all, for both fronts):
//   - inspected: text of any kind (strings, numbers, free-form object keys) that the
//     inspector reads before any lane sees it (messages, names, ids, tool arguments,
//     tool definitions, schemas, metadata, user, stop...);
//   - validated: a fixed vocabulary (`role`, content-part `type`, `tool_choice` modes,
//     enums), a boolean or a number of a known field; anything else is refused (400) with
//     the field's path, never echoing the value;
//   - dropped: a field nobody listed inside a known object (message, part, tool...). It
//     is removed before inspection, so it can reach no lane; its path is reported
//     (response header `x-lanewise-dropped-fields`). Unknown top-level fields are
//     provider extensions: kept and inspected whole (keys, strings, numbers).
// Numbers are refused when they cannot be sent back exactly as written: not finite
// (`1e999`) or an integer beyond 64 bits (it would reach the lane rounded).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace lanewise::api {

// Validates `body` in place and removes the fields nobody listed, appending their paths
// ("messages[1].cache_control") to `dropped`. Errors are 400s naming the field.
core::Status CanonicalizeChatBody(boost::json::object& body, std::vector<std::string>& dropped);

}  // namespace lanewise::api
