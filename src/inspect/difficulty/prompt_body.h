// PromptBody: the chat-completions body of one evaluation or training row, given either
// as a body ({"messages": [...]}) or as {"prompt": "..."} (one user message).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "core/result.h"

namespace lanewise::inspect {

core::Result<boost::json::object> PromptBody(const boost::json::value& row);
boost::json::object SingleUserMessage(std::string_view prompt);

}  // namespace lanewise::inspect
