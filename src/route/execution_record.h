// ExecutionRecord: what the executor did for one request, for logs and the audit trail.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace lanewise::route {

struct AttemptRecord {
  std::string lane;
  std::string upstream_model;
  std::string role;  // primary, fallback
  core::Status status;
  std::chrono::milliseconds duration{0};
  std::size_t request_bytes = 0;  // body bytes sent to the lane; 0 when nothing was sent
  bool redacted = false;          // the lane was sent the redacted request
  std::map<std::string, int> redacted_by_type;
  int messages_dropped = 0;  // by the class's minimum_context
};

struct ExecutionRecord {
  std::vector<AttemptRecord> attempts;
  std::string served_by;  // lane that produced the answer; empty when none did
  std::string upstream_model;
};

}  // namespace lanewise::route
