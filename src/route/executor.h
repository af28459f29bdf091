// Executor: carries out a RouteDecision. It walks the decision's plan in order and never
// sends a byte to a lane that is not in the plan (the plan was checked against the data
// class when it was made). It decides nothing by itself beyond "this attempt failed in a
// way that another attempt of the plan may fix".
//
// Fallback happens only before the client has seen anything: for a stream, until the
// first event of an attempt has arrived. After that, a failure ends the stream with a
// terminal error event.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "core/chat_event.h"
#include "core/chat_request.h"
#include "core/result.h"
#include "core/route_decision.h"
#include "lanes/lane.h"
#include "lanes/lane_registry.h"
#include "route/execution_record.h"

namespace lanewise::route {

// True for failures another lane may not share: unreachable, timeouts, broken or
// malformed answers, overload (429) and server errors (5xx). Client errors (4xx) are not
// retried elsewhere: the same request would fail the same way.
bool ShouldFallBack(const core::Status& status);

class Executor {
 public:
  explicit Executor(std::shared_ptr<const lanes::LaneRegistry> lanes);

  boost::asio::awaitable<core::Result<core::ChatResponse>> Complete(
      const core::ChatRequest& request, const core::RouteDecision& decision,
      const lanes::CallContext& context, ExecutionRecord& record) const;

  // Returns once an attempt has produced its first event; that event is replayed as the
  // stream's first.
  boost::asio::awaitable<core::Result<std::unique_ptr<lanes::ChatStream>>> Stream(
      const core::ChatRequest& request, const core::RouteDecision& decision,
      const lanes::CallContext& context, ExecutionRecord& record) const;

 private:
  // Why an attempt must not be sent at all (unknown lane, redaction required), or Ok.
  core::Status Refuse(const core::PlannedAttempt& attempt, lanes::Lane*& lane) const;

  std::shared_ptr<const lanes::LaneRegistry> lanes_;
};

}  // namespace lanewise::route
