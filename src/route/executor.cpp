#include "route/executor.h"

#include <chrono>
#include <cstdlib>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <deque>

#include "lanes/upstream_error.h"
#include "redact/restorer.h"
#include "route/cascade_judge.h"
#include "route/decision_error.h"
#include "route/metered_stream.h"
#include "route/replay_stream.h"
#include "route/restoring_stream.h"

namespace lanewise::route {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

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
  r.estimated_cost_usd = attempt.estimated_cost_usd;
  r.predicted_ttft_ms = attempt.predicted_ttft_ms;
  r.predicted_total_ms = attempt.predicted_total_ms;
  if (rewritten.has_value()) {
    r.redacted = attempt.redact;
    r.redacted_by_type = rewritten->summary.by_type;
    r.messages_dropped = rewritten->summary.messages_dropped;
  }
  return r;
}

core::Result<std::unique_ptr<lanes::ChatStream>> Replay(std::deque<core::ChatEvent> events,
                                                        std::unique_ptr<lanes::ChatStream> rest,
                                                        bool strip_logprobs) {
  std::unique_ptr<lanes::ChatStream> stream =
      std::make_unique<ReplayStream>(std::move(events), std::move(rest), strip_logprobs);
  return stream;
}

// A cascade's first attempt is judged: the lane is asked for token logprobs when the
// client did not ask for them itself (and they are stripped from what the client gets).
bool Judged(const core::PlannedAttempt& attempt, const core::RouteDecision& decision) {
  return attempt.verify && decision.cascade.has_value();
}

void RecordVerdict(const CascadeVerdict& verdict, const core::CascadeSettings& settings,
                   std::string verdict_name, ExecutionRecord& record) {
  record.cascade.judged = true;
  record.cascade.threshold = settings.threshold;
  record.cascade.confidence = verdict.confidence;
  record.cascade.scored_tokens = verdict.scored_tokens;
  record.cascade.verdict = std::move(verdict_name);
  record.cascade.reason = verdict.reason;
}

// Judges a whole answer; strips the logprobs the client did not ask for.
CascadeVerdict JudgeCompletion(core::ChatResponse& answer, const core::CascadeSettings& settings,
                               bool strip_logprobs) {
  CascadeJudge judge;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(answer.body, ec);
  if (ec || !parsed.is_object()) return judge.Verdict(settings);
  judge.AddCompletion(parsed.get_object());
  if (strip_logprobs && StripLogprobs(parsed.get_object())) {
    answer.body = boost::json::serialize(parsed);
  }
  return judge.Verdict(settings);
}

// A cascade's first answer, read from its stream before anything reaches the client.
struct HeldStream {
  std::deque<core::ChatEvent> events;  // chunks, then the terminal event when it came
  core::Status failed;                 // the stream ended with an error event
  bool overflow = false;               // more than the buffer's bound: not judged
  CascadeJudge judge;
  double first_event_ms = -1;  // from `start`
  int content_chunks = 0;
};

asio::awaitable<HeldStream> HoldStream(lanes::ChatStream& stream, std::size_t bound,
                                       Clock::time_point start) {
  HeldStream held;
  std::size_t bytes = 0;
  while (true) {
    core::ChatEvent event = co_await stream.Next();
    if (held.first_event_ms < 0) {
      held.first_event_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    }
    if (event.kind == core::ChatEvent::Kind::kError) {
      held.failed = event.error;
      co_return held;
    }
    if (event.kind == core::ChatEvent::Kind::kDone) {
      held.events.push_back(std::move(event));
      co_return held;
    }
    bytes += event.data.size();
    if (ChunkCarriesContent(event.data)) ++held.content_chunks;
    boost::system::error_code ec;
    boost::json::value chunk = boost::json::parse(event.data, ec);
    if (!ec && chunk.is_object()) held.judge.AddChunk(chunk.get_object());
    held.events.push_back(std::move(event));
    if (bytes > bound) {
      held.overflow = true;
      co_return held;
    }
  }
}

// usage.completion_tokens of a whole answer, without parsing it; 0 when absent.
double CompletionTokens(const std::string& body) {
  static constexpr std::string_view kKey = "\"completion_tokens\":";
  const std::size_t at = body.rfind(kKey);
  if (at == std::string::npos) return 0;
  return std::strtod(body.c_str() + at + kKey.size(), nullptr);
}

// A full lane whose policy is burst or degrade: the plan's next attempt runs at once.
bool GoesOnWhenFull(const lanes::Lane& lane) {
  const config::WhenFull w = lane.config().capacity.when_full;
  return w == config::WhenFull::kBurst || w == config::WhenFull::kDegrade;
}

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
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

int Executor::BeginCall(const std::string& lane) const {
  return health_ == nullptr ? 0 : health_->BeginCall(lane);
}

void Executor::EndCall(const std::string& lane, bool gated) const {
  if (health_ != nullptr) health_->EndCall(lane, gated);
}

bool Executor::Gated(const lanes::Lane& lane) const {
  return health_ != nullptr && lane.config().capacity.max_concurrency > 0;
}

asio::awaitable<core::Status> Executor::Admit(const lanes::Lane& lane, AttemptRecord& r) const {
  if (!Gated(lane)) co_return core::Status::Ok();
  const config::LaneCapacity& cap = lane.config().capacity;
  const bool queue = cap.when_full == config::WhenFull::kQueue;
  const lanes::GateLimits limits{cap.max_concurrency, queue ? cap.queue : 0, cap.queue_timeout};
  std::chrono::milliseconds waited{0};
  const lanes::Admission admission = co_await health_->gate().Acquire(lane.name(), limits, &waited);
  r.queued_ms = waited.count();
  if (admission == lanes::Admission::kAdmitted) co_return core::Status::Ok();
  const std::string limit = "lane '" + lane.name() + "' is at its max_concurrency (" +
                            std::to_string(cap.max_concurrency) + ")";
  core::Status status;
  if (!queue) {
    status = core::Status(core::StatusCode::kUnavailable, limit, "lane_at_capacity");
  } else if (admission == lanes::Admission::kTimedOut) {
    status =
        core::Status(core::StatusCode::kUnavailable,
                     limit + " and no slot freed within queue_timeout_ms", "lane_queue_timeout");
  } else {
    status = core::Status(core::StatusCode::kUnavailable, limit + " and its queue is full",
                          "lane_queue_full");
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(cap.queue_timeout);
  status.WithRetryAfter(std::max<int>(1, static_cast<int>(seconds.count())));
  co_return status;
}

void Executor::RecordTiming(const std::string& lane, const lanes::LatencySample& sample) const {
  if (health_ != nullptr) health_->RecordTiming(lane, sample);
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
  const bool client_logprobs = ClientAskedLogprobs(request);
  // A cascade's first answer while its escalation runs: served if the escalation fails.
  std::optional<core::ChatResponse> held;
  for (const auto& attempt : decision.plan) {
    auto prepared = Prepare(request, facts, decision, attempt);
    if (!prepared.ok()) {
      last = prepared.status();
      record.attempts.push_back({attempt.lane, attempt.upstream_model, attempt.role, last});
      continue;  // nothing was sent: the next attempt may still serve
    }
    const auto& rewritten = prepared->rewritten;
    const core::ChatRequest& to_send = rewritten ? rewritten->request : request;
    std::optional<core::ChatRequest> with_logprobs;
    if (Judged(attempt, decision) && !client_logprobs) {
      with_logprobs = to_send;
      with_logprobs->body["logprobs"] = true;
    }
    AttemptRecord attempt_record = StartRecord(attempt, rewritten);
    if (core::Status admitted = co_await Admit(*prepared->lane, attempt_record); !admitted.ok()) {
      last = admitted;
      attempt_record.status = std::move(admitted);
      record.attempts.push_back(std::move(attempt_record));
      if (GoesOnWhenFull(*prepared->lane)) continue;  // burst / degrade: nothing was sent
      break;
    }
    const bool gated = Gated(*prepared->lane);
    lanes::CallContext call = context;
    call.request_bytes = &attempt_record.request_bytes;
    auto start = Clock::now();
    const int before = BeginCall(attempt.lane);
    auto result = co_await prepared->lane->Complete(with_logprobs ? *with_logprobs : to_send,
                                                    attempt.upstream_model, call);
    EndCall(attempt.lane, gated);
    if (result.ok()) {
      // A whole answer shows no first token: it teaches the model its service time only.
      const int slots = prepared->lane->config().slots;
      lanes::LatencySample sample;
      sample.prompt_tokens = static_cast<double>(facts.estimated_input_tokens);
      sample.output_tokens = CompletionTokens(result->body);
      sample.total_ms = MillisSince(start);
      sample.queued = slots > 0 && before >= slots;
      RecordTiming(attempt.lane, sample);
      attempt_record.total_ms = sample.total_ms;
    }
    if (result.ok() && rewritten && rewritten->vault) {
      auto restored = redact::RestoreCompletionBody(std::move(result->body), *rewritten->vault);
      if (restored.ok()) {
        result->body = std::move(restored.value());
      } else {
        result = restored.status();
      }
    }
    EndAttempt(attempt, std::move(attempt_record), result.status(), start, record);
    if (result.ok() && Judged(attempt, decision)) {
      const CascadeVerdict verdict =
          JudgeCompletion(result.value(), *decision.cascade, !client_logprobs);
      RecordVerdict(verdict, *decision.cascade, verdict.escalate ? "escalated" : "accepted",
                    record);
      if (verdict.escalate) {
        record.attempts.back().escalated_because = verdict.reason;
        held = std::move(result.value());
        continue;
      }
    }
    if (result.ok()) co_return result;
    last = result.status();
    if (!ShouldFallBack(last)) break;
  }
  if (held.has_value()) {
    ServeHeld(decision, record);
    co_return std::move(*held);
  }
  co_return last;
}

void Executor::ServeHeld(const core::RouteDecision& decision, ExecutionRecord& record) const {
  record.cascade.escalation_failed = true;
  record.served_by = decision.plan.front().lane;
  record.upstream_model = decision.plan.front().upstream_model;
}

asio::awaitable<core::Result<std::unique_ptr<lanes::ChatStream>>> Executor::Stream(
    const core::ChatRequest& request, const core::Facts& facts, const core::RouteDecision& decision,
    const lanes::CallContext& context, ExecutionRecord& record) const {
  core::Status last = NoAttemptLeft(decision, request);
  const bool client_logprobs = ClientAskedLogprobs(request);
  // A cascade's first answer (whole, terminal event included) while its escalation runs.
  std::optional<std::deque<core::ChatEvent>> held;
  for (const auto& attempt : decision.plan) {
    auto prepared = Prepare(request, facts, decision, attempt);
    if (!prepared.ok()) {
      last = prepared.status();
      record.attempts.push_back({attempt.lane, attempt.upstream_model, attempt.role, last});
      continue;
    }
    const auto& rewritten = prepared->rewritten;
    const core::ChatRequest& to_send = rewritten ? rewritten->request : request;
    const bool judged = Judged(attempt, decision);
    std::optional<core::ChatRequest> with_logprobs;
    if (judged && !client_logprobs) {
      with_logprobs = to_send;
      with_logprobs->body["logprobs"] = true;
    }
    AttemptRecord attempt_record = StartRecord(attempt, rewritten);
    if (core::Status admitted = co_await Admit(*prepared->lane, attempt_record); !admitted.ok()) {
      last = admitted;
      attempt_record.status = std::move(admitted);
      record.attempts.push_back(std::move(attempt_record));
      if (GoesOnWhenFull(*prepared->lane)) continue;  // burst / degrade: nothing was sent
      break;
    }
    const bool gated = Gated(*prepared->lane);
    lanes::CallContext call = context;
    call.request_bytes = &attempt_record.request_bytes;
    auto start = Clock::now();
    const int slots = prepared->lane->config().slots;
    lanes::LatencySample sample;
    sample.prompt_tokens = static_cast<double>(facts.estimated_input_tokens);
    sample.queued = BeginCall(attempt.lane) >= slots && slots > 0;
    auto opened = co_await prepared->lane->Stream(with_logprobs ? *with_logprobs : to_send,
                                                  attempt.upstream_model, call);
    if (opened.ok()) {
      std::unique_ptr<lanes::ChatStream> lane_stream = std::move(opened.value());
      if (rewritten && rewritten->vault) {
        lane_stream = std::make_unique<RestoringStream>(std::move(lane_stream), rewritten->vault);
      }
      if (judged) {
        // Verify before the first byte: the whole answer (up to the buffer's bound) is
        // read and judged before the client sees any of it, so the client never gets
        // two answers.
        HeldStream answer =
            co_await HoldStream(*lane_stream, decision.cascade->stream_buffer_bytes, start);
        if (answer.failed.ok()) {
          sample.ttft_ms = answer.first_event_ms;
          attempt_record.ttft_ms = answer.first_event_ms;
          EndAttempt(attempt, std::move(attempt_record), core::Status::Ok(), start, record);
          const CascadeVerdict verdict = answer.judge.Verdict(*decision.cascade);
          if (answer.overflow) {
            RecordVerdict(verdict, *decision.cascade, "unverified", record);
            record.cascade.reason.clear();
            std::unique_ptr<lanes::ChatStream> rest = std::make_unique<MeteredStream>(
                std::move(lane_stream), health_, attempt.lane, sample, start, &record,
                record.attempts.size() - 1, answer.content_chunks, gated);
            co_return Replay(std::move(answer.events), std::move(rest), !client_logprobs);
          }
          EndCall(attempt.lane, gated);
          sample.output_tokens = answer.content_chunks;
          sample.total_ms = MillisSince(start);
          RecordTiming(attempt.lane, sample);
          record.attempts.back().total_ms = sample.total_ms;
          RecordVerdict(verdict, *decision.cascade, verdict.escalate ? "escalated" : "accepted",
                        record);
          if (!verdict.escalate) {
            co_return Replay(std::move(answer.events), nullptr, !client_logprobs);
          }
          record.attempts.back().escalated_because = verdict.reason;
          held = std::move(answer.events);
          continue;
        }
        last = answer.failed;
      } else {
        // Nothing has reached the client yet: a failure before the first event may still
        // fall back to the next attempt.
        core::ChatEvent first = co_await lane_stream->Next();
        if (first.kind != core::ChatEvent::Kind::kError) {
          sample.ttft_ms = MillisSince(start);
          attempt_record.ttft_ms = sample.ttft_ms;
          EndAttempt(attempt, std::move(attempt_record), core::Status::Ok(), start, record);
          std::deque<core::ChatEvent> replay;
          replay.push_back(std::move(first));
          std::unique_ptr<lanes::ChatStream> primed =
              std::make_unique<ReplayStream>(std::move(replay), std::move(lane_stream), false);
          // Ends the in-flight call and teaches the latency model when the answer ends.
          std::unique_ptr<lanes::ChatStream> metered =
              std::make_unique<MeteredStream>(std::move(primed), health_, attempt.lane, sample,
                                              start, &record, record.attempts.size() - 1, 0, gated);
          co_return metered;
        }
        last = first.error;
      }
    } else {
      last = opened.status();
    }
    EndCall(attempt.lane, gated);
    EndAttempt(attempt, std::move(attempt_record), last, start, record);
    if (!ShouldFallBack(last)) break;
  }
  if (held.has_value()) {
    ServeHeld(decision, record);
    co_return Replay(std::move(*held), nullptr, !client_logprobs);
  }
  co_return last;
}

}  // namespace lanewise::route
