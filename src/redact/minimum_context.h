// Minimum context: what a non-local lane is sent of a conversation when the data class
// limits it (the seeds' BUILD_MINIMUM_CONTEXT): only the last N turns, and/or no system
// prompt.
#pragma once

#include <boost/json/object.hpp>

#include "config/policy.h"

namespace lanewise::redact {

struct ContextTrim {
  int messages_dropped = 0;
  bool system_stripped = false;
};

// Trims body["messages"] in place. System and developer messages are kept (in order, in
// front) unless strip_system; of the others only the last `last_turns` are kept, extended
// backwards so that a kept tool result keeps the assistant message that called the tool.
ContextTrim ApplyMinimumContext(boost::json::object& body, const config::MinimumContext& limits);

}  // namespace lanewise::redact
