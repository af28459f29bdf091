#include "route/executor.h"

#include <chrono>

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

core::Status NoAttemptLeft(const core::RouteDecision& decision) {
  if (decision.plan.empty() || decision.no_route) {
    return core::Status(core::StatusCode::kPermissionDenied,
                        "no lane may serve this request under the current policy", "no_route");
  }
  return core::Internal("route plan exhausted without an answer");
}

std::chrono::milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

}  // namespace

bool ShouldFallBack(const core::Status& status) {
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

Executor::Executor(std::shared_ptr<const lanes::LaneRegistry> lanes) : lanes_(std::move(lanes)) {}

core::Status Executor::Refuse(const core::PlannedAttempt& attempt, lanes::Lane*& lane) const {
  lane = lanes_->Find(attempt.lane);
  if (lane == nullptr) return core::Internal("plan names unknown lane '" + attempt.lane + "'");
  // Redaction is not available in this build: an attempt that may only carry redacted
  // data is skipped rather than sent in the clear (fail closed).
  if (attempt.redact) {
    return core::Status(core::StatusCode::kPermissionDenied,
                        "lane '" + attempt.lane +
                            "' may only receive this request redacted, "
                            "and redaction is not available",
                        "redaction_unavailable");
  }
  return core::Status::Ok();
}

asio::awaitable<core::Result<core::ChatResponse>> Executor::Complete(
    const core::ChatRequest& request, const core::RouteDecision& decision,
    const lanes::CallContext& context, ExecutionRecord& record) const {
  core::Status last = NoAttemptLeft(decision);
  for (const auto& attempt : decision.plan) {
    lanes::Lane* lane = nullptr;
    if (auto refused = Refuse(attempt, lane); !refused.ok()) {
      last = refused;
      record.attempts.push_back({attempt.lane, attempt.upstream_model, attempt.role, last});
      continue;
    }
    auto start = Clock::now();
    auto result = co_await lane->Complete(request, attempt.upstream_model, context);
    record.attempts.push_back(
        {attempt.lane, attempt.upstream_model, attempt.role, result.status(), Since(start)});
    if (result.ok()) {
      record.served_by = attempt.lane;
      record.upstream_model = attempt.upstream_model;
      co_return result;
    }
    last = result.status();
    if (!ShouldFallBack(last)) break;
  }
  co_return last;
}

asio::awaitable<core::Result<std::unique_ptr<lanes::ChatStream>>> Executor::Stream(
    const core::ChatRequest& request, const core::RouteDecision& decision,
    const lanes::CallContext& context, ExecutionRecord& record) const {
  core::Status last = NoAttemptLeft(decision);
  for (const auto& attempt : decision.plan) {
    lanes::Lane* lane = nullptr;
    if (auto refused = Refuse(attempt, lane); !refused.ok()) {
      last = refused;
      record.attempts.push_back({attempt.lane, attempt.upstream_model, attempt.role, last});
      continue;
    }
    auto start = Clock::now();
    auto opened = co_await lane->Stream(request, attempt.upstream_model, context);
    if (opened.ok()) {
      // Nothing has reached the client yet: a failure before the first event may still
      // fall back to the next attempt.
      core::ChatEvent first = co_await opened.value()->Next();
      if (first.kind != core::ChatEvent::Kind::kError) {
        record.attempts.push_back(
            {attempt.lane, attempt.upstream_model, attempt.role, core::Status::Ok(), Since(start)});
        record.served_by = attempt.lane;
        record.upstream_model = attempt.upstream_model;
        std::unique_ptr<lanes::ChatStream> stream =
            std::make_unique<PrimedStream>(std::move(first), std::move(opened.value()));
        co_return stream;
      }
      last = first.error;
    } else {
      last = opened.status();
    }
    record.attempts.push_back(
        {attempt.lane, attempt.upstream_model, attempt.role, last, Since(start)});
    if (!ShouldFallBack(last)) break;
  }
  co_return last;
}

}  // namespace lanewise::route
