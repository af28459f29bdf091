// Executor: carries out a RouteDecision. It walks the decision's plan in order and never
// sends a byte to a lane that is not in the plan (the plan was checked against the data
// class when it was made). It decides nothing by itself beyond "this attempt failed in a
// way that another attempt of the plan may fix".
//
// Before each attempt it prepares what that lane may see: the redacted request when the
// plan says so (and the class's minimum context for a non-local lane), through the
// RequestRedactor; an attempt whose redaction is unavailable or incomplete is refused and
// the next one tried (fail closed). Answers from a redacted attempt are restored before
// they leave: the whole body, or every chunk of a stream.
//
// Fallback happens only before the client has seen anything: for a stream, until the
// first event of an attempt has arrived. After that, a failure ends the stream with a
// terminal error event.
//
// Cascades (docs/policy.md): an attempt marked `verify` asks its lane for token logprobs
// (stripped again unless the client asked), and its answer is judged (CascadeJudge). A
// doubtful answer is held while the next attempt (the escalation, redacted like any
// fallback when the plan says so) runs; when that produces nothing, the held answer is
// served. For a stream the whole first answer is read before the client sees a byte, up to
// the cascade's stream_buffer_bytes; past that it is released unjudged. Either way the
// client gets exactly one answer.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "core/chat_event.h"
#include "core/chat_request.h"
#include "core/facts.h"
#include "core/result.h"
#include "core/route_decision.h"
#include "lanes/lane.h"
#include "lanes/lane_health.h"
#include "lanes/lane_registry.h"
#include "redact/request_redactor.h"
#include "route/execution_record.h"

namespace lanewise::route {

// True for failures another lane may not share: unreachable, timeouts, broken or
// malformed answers, overload (429) and server errors (5xx). Client errors (4xx) are not
// retried elsewhere: the same request would fail the same way.
// A lane's refusal of the request itself (lanes::CausedByRequest) is not retried either.
bool ShouldFallBack(const core::Status& status);

// True for failures that count against the lane's breaker: those ShouldFallBack names,
// except a lane's refusal of the request itself and a failure to restore its answer.
bool CountsAgainstLane(const core::Status& status);

class Executor {
 public:
  // `redactor` may be null (no policy): then an attempt that requires redaction is
  // refused as `redaction_unavailable`.
  // `health` (may be null) is told every attempt's outcome: failures another lane may
  // not share count against the lane's breaker, successes close it.
  Executor(std::shared_ptr<const lanes::LaneRegistry> lanes,
           std::shared_ptr<const redact::RequestRedactor> redactor = nullptr,
           std::shared_ptr<lanes::LaneHealth> health = nullptr);

  boost::asio::awaitable<core::Result<core::ChatResponse>> Complete(
      const core::ChatRequest& request, const core::Facts& facts,
      const core::RouteDecision& decision, const lanes::CallContext& context,
      ExecutionRecord& record) const;

  // Returns once an attempt has produced its first event; that event is replayed as the
  // stream's first.
  boost::asio::awaitable<core::Result<std::unique_ptr<lanes::ChatStream>>> Stream(
      const core::ChatRequest& request, const core::Facts& facts,
      const core::RouteDecision& decision, const lanes::CallContext& context,
      ExecutionRecord& record) const;

 private:
  // One attempt, ready to send: its lane and the request that lane may see.
  struct Prepared {
    lanes::Lane* lane = nullptr;
    std::optional<redact::PreparedRequest> rewritten;  // absent: the request as received
  };
  // The attempt ready to send, or why it must not be sent at all (unknown lane,
  // redaction unavailable or incomplete). Records a refusal in `record`.
  core::Result<Prepared> Prepare(const core::ChatRequest& request, const core::Facts& facts,
                                 const core::RouteDecision& decision,
                                 const core::PlannedAttempt& attempt) const;

  void RecordHealth(const std::string& lane, const core::Status& status,
                    std::chrono::milliseconds latency) const;
  // The lane's in-flight count and latency model (LaneHealth), when there is one.
  int BeginCall(const std::string& lane) const;
  void EndCall(const std::string& lane, bool gated) const;
  void RecordTiming(const std::string& lane, const lanes::LatencySample& sample) const;
  // Capacity (docs/policy.md): waits for a slot of a lane with max_concurrency, or says
  // why the attempt may not run (lane_at_capacity, lane_queue_full, lane_queue_timeout).
  boost::asio::awaitable<core::Status> Admit(const lanes::Lane& lane, AttemptRecord& r) const;
  bool Gated(const lanes::Lane& lane) const;
  // Records how a sent attempt ended (status, duration, health) and, when it served,
  // which lane and model answered. Shared by Complete and Stream.
  void EndAttempt(const core::PlannedAttempt& attempt, AttemptRecord attempt_record,
                  const core::Status& status, std::chrono::steady_clock::time_point start,
                  ExecutionRecord& record) const;

  // A cascade's escalation produced no answer: the first lane's held answer is served.
  void ServeHeld(const core::RouteDecision& decision, ExecutionRecord& record) const;

  std::shared_ptr<const lanes::LaneRegistry> lanes_;
  std::shared_ptr<const redact::RequestRedactor> redactor_;
  std::shared_ptr<lanes::LaneHealth> health_;
};

}  // namespace lanewise::route
