#include "route/executor.h"

#include <chrono>

#include "lanes/upstream_error.h"
#include "redact/restorer.h"
#include "route/decision_error.h"
#include "route/restoring_stream.h"

namespace lanewise::route {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// Replays the first event an attempt produced, then continues with the lane's stream.
class PrimedStream final : public lanes::ChatStream {
 public:
  PrimedStream(core::ChatEvent first, std::unique_ptr<lanes::ChatStream> rest)
      : first_(std::move(first)), rest_(std::move(rest)) {}
  asio::awaitable<core::ChatEvent> Next() override {
    if (!replayed_) {
      replayed_ = true;
      co_return first_;
    }
    co_return co_await rest_->Next();
  }
  bool HasBufferedEvent() const override { return !replayed_ || rest_->HasBufferedEvent(); }

 private:
  core::ChatEvent first_;
  std::unique_ptr<lanes::ChatStream> rest_;
  bool replayed_ = false;
};

// What a plan that produced no answer reports before any attempt ran: the decision's own
// error when it serves nothing (the front normally answers that before calling us).
core::Status NoAttemptLeft(const core::RouteDecision& decision, const core::ChatRequest& request) {
  if (decision.no_route) return DecisionError(decision, request.model_alias);
  if (decision.plan.empty()) return core::Internal("the decision has an empty plan");
  return core::Internal("route plan exhausted without an answer");
}

std::chrono::milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

AttemptRecord StartRecord(const core::PlannedAttempt& attempt,
                          const std::optional<redact::PreparedRequest>& rewritten) {
  AttemptRecord r{attempt.lane, attempt.upstream_model, attempt.role, core::Status::Ok()};
  if (rewritten.has_value()) {
    r.redacted = attempt.redact;
    r.redacted_by_type = rewritten->summary.by_type;
    r.messages_dropped = rewritten->summary.messages_dropped;
  }
  return r;
}

}  // namespace

bool ShouldFallBack(const core::Status& status) {
  if (lanes::CausedByRequest(status)) return false;  // any lane would refuse it alike
  switch (status.code()) {
    case core::StatusCode::kUnavailable:
    case core::StatusCode::kDeadlineExceeded:
    case core::StatusCode::kUpstreamProtocol:
      return true;
    case core::StatusCode::kUpstreamError:
      return status.upstream_http_status() == 429 || status.upstream_http_status() >= 500;
    default:
      return false;
  }
}

bool CountsAgainstLane(const core::Status& status) {
  // A request that the lane refused, or an answer we could not restore, says nothing about
  // the lane's health: counting it would let one client's bad requests open the breaker
  // for everybody.
  return ShouldFallBack(status) && !lanes::CausedByRequest(status) &&
         status.reason() != "restore_failed";
}

Executor::Executor(std::shared_ptr<const lanes::LaneRegistry> lanes,
                   std::shared_ptr<const redact::RequestRedactor> redactor,
                   std::shared_ptr<lanes::LaneHealth> health)
    : lanes_(std::move(lanes)), redactor_(std::move(redactor)), health_(std::move(health)) {}

void Executor::RecordHealth(const std::string& lane, const core::Status& status,
                            std::chrono::milliseconds latency) const {
  if (health_ == nullptr) return;
  if (status.ok()) {
    health_->RecordSuccess(lane, latency);
  } else if (CountsAgainstLane(status)) {
    health_->RecordFailure(lane);
  }
}

core::Result<Executor::Prepared> Executor::Prepare(const core::ChatRequest& request,
                                                   const core::Facts& facts,
                                                   const core::RouteDecision& decision,
                                                   const core::PlannedAttempt& attempt) const {
  Prepared prepared;
  prepared.lane = lanes_->Find(attempt.lane);
  if (prepared.lane == nullptr) {
    return core::Internal("plan names unknown lane '" + attempt.lane + "'");
  }
  const bool non_local = prepared.lane->config().kind != config::LaneKind::kLocal;
  if (redactor_ == nullptr) {
    // Fail closed: an attempt that may only carry redacted data is never sent in clear.
    if (attempt.redact) {
      return core::Status(core::StatusCode::kPermissionDenied,
                          "lane '" + attempt.lane +
                              "' may only receive this request redacted, and this gateway has "
                              "no redaction configured",
                          "redaction_unavailable");
    }
    return prepared;
  }
  if (!redactor_->Rewrites(decision.data_class, attempt.redact, non_local)) return prepared;
  auto rewritten =
      redactor_->Prepare(request, facts, decision.data_class, attempt.redact, non_local);
  if (!rewritten.ok()) {
    return core::Status(rewritten.status().code(),
                        "lane '" + attempt.lane + "': " + rewritten.status().message(),
                        rewritten.status().reason());
  }
  prepared.rewritten = std::move(rewritten.value());
  return prepared;
}

void Executor::EndAttempt(const core::PlannedAttempt& attempt, AttemptRecord attempt_record,
                          const core::Status& status, std::chrono::steady_clock::time_point start,
                          ExecutionRecord& record) const {
  attempt_record.status = status;
  attempt_record.duration = Since(start);
  RecordHealth(attempt.lane, status, attempt_record.duration);
  record.attempts.push_back(std::move(attempt_record));
  if (status.ok()) {
    record.served_by = attempt.lane;
    record.upstream_model = attempt.upstream_model;
  }
}

asio::awaitable<core::Result<core::ChatResponse>> Executor::Complete(
    const core::ChatRequest& request, const core::Facts& facts, const core::RouteDecision& decision,
    const lanes::CallContext& context, ExecutionRecord& record) const {
  core::Status last = NoAttemptLeft(decision, request);
  for (const auto& attempt : decision.plan) {
    auto prepared = Prepare(request, facts, decision, attempt);
    if (!prepared.ok()) {
      last = prepared.status();
      record.attempts.push_back({attempt.lane, attempt.upstream_model, attempt.role, last});
      continue;  // nothing was sent: the next attempt may still serve
    }
    const auto& rewritten = prepared->rewritten;
    AttemptRecord attempt_record = StartRecord(attempt, rewritten);
    lanes::CallContext call = context;
    call.request_bytes = &attempt_record.request_bytes;
    auto start = Clock::now();
    auto result = co_await prepared->lane->Complete(rewritten ? rewritten->request : request,
                                                    attempt.upstream_model, call);
    if (result.ok() && rewritten && rewritten->vault) {
      auto restored = redact::RestoreCompletionBody(std::move(result->body), *rewritten->vault);
      if (restored.ok()) {
        result->body = std::move(restored.value());
      } else {
        result = restored.status();
      }
    }
    EndAttempt(attempt, std::move(attempt_record), result.status(), start, record);
    if (result.ok()) co_return result;
    last = result.status();
    if (!ShouldFallBack(last)) break;
  }
  co_return last;
}

asio::awaitable<core::Result<std::unique_ptr<lanes::ChatStream>>> Executor::Stream(
    const core::ChatRequest& request, const core::Facts& facts, const core::RouteDecision& decision,
    const lanes::CallContext& context, ExecutionRecord& record) const {
  core::Status last = NoAttemptLeft(decision, request);
  for (const auto& attempt : decision.plan) {
    auto prepared = Prepare(request, facts, decision, attempt);
    if (!prepared.ok()) {
      last = prepared.status();
      record.attempts.push_back({attempt.lane, attempt.upstream_model, attempt.role, last});
      continue;
    }
    const auto& rewritten = prepared->rewritten;
    AttemptRecord attempt_record = StartRecord(attempt, rewritten);
    lanes::CallContext call = context;
    call.request_bytes = &attempt_record.request_bytes;
    auto start = Clock::now();
    auto opened = co_await prepared->lane->Stream(rewritten ? rewritten->request : request,
                                                  attempt.upstream_model, call);
    if (opened.ok()) {
      std::unique_ptr<lanes::ChatStream> lane_stream = std::move(opened.value());
      if (rewritten && rewritten->vault) {
        lane_stream = std::make_unique<RestoringStream>(std::move(lane_stream), rewritten->vault);
      }
      // Nothing has reached the client yet: a failure before the first event may still
      // fall back to the next attempt.
      core::ChatEvent first = co_await lane_stream->Next();
      if (first.kind != core::ChatEvent::Kind::kError) {
        EndAttempt(attempt, std::move(attempt_record), core::Status::Ok(), start, record);
        std::unique_ptr<lanes::ChatStream> stream =
            std::make_unique<PrimedStream>(std::move(first), std::move(lane_stream));
        co_return stream;
      }
      last = first.error;
    } else {
      last = opened.status();
    }
    EndAttempt(attempt, std::move(attempt_record), last, start, record);
    if (!ShouldFallBack(last)) break;
  }
  co_return last;
}

}  // namespace lanewise::route
