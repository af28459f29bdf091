// The gateway's two evidence hooks for a chat request that reached a decision:
//
//  - OpenDecisionRecord, right after the decision and before any byte goes to a lane:
//    queues the record's open event and, when the plan will send something, waits (without
//    blocking the thread) until the writer has committed it, so that a crash after this
//    point leaves an incomplete record, never a missing one. When the event cannot be
//    queued or committed in time, a class with `evidence: true` is refused
//    ("audit_unavailable", 503); any other class goes on, the drop counted and logged.
//    `request_id` (empty when inspection found a value in it) links the record to what the
//    lane saw: the lane gets this id, or the decision id.
//  - CloseDecisionRecord, when the request ends: queues the close event (the attempts, the
//    final status) and counts the request in the metrics.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string_view>

#include "api/evidence.h"
#include "config/config.h"
#include "core/facts.h"
#include "core/route_decision.h"
#include "route/execution_record.h"

namespace lanewise::api {

// What the close hook needs to know about the request's end.
struct RequestEnd {
  int http_status = 0;
  std::string_view error_reason;  // empty when served
  std::chrono::steady_clock::duration duration{};
};

boost::asio::awaitable<core::Status> OpenDecisionRecord(const Evidence& evidence,
                                                        const core::RouteDecision& decision,
                                                        const core::Facts& facts,
                                                        std::string_view request_id,
                                                        std::string_view front, bool stream);

void CloseDecisionRecord(const Evidence& evidence, const config::Config& config,
                         const core::RouteDecision& decision, const route::ExecutionRecord& record,
                         const RequestEnd& end);

// A chat request that ended before any decision (malformed, unknown model): metrics only.
void CountUndecidedRequest(const Evidence& evidence, const RequestEnd& end);

}  // namespace lanewise::api
