#include "api/decision_evidence.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "audit/json_text.h"
#include "audit/payload_buffers.h"
#include "policy/engine.h"
#include "telemetry/json_log.h"

namespace lanewise::api {
namespace {

namespace asio = boost::asio;
constexpr std::size_t kMostTenantBytes = 128;

std::int64_t UnixMillis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string Outcome(const RequestEnd& end) {
  if (!end.error_reason.empty()) return std::string(end.error_reason);
  if (end.http_status >= 200 && end.http_status < 300) return "ok";
  return "http_" + std::to_string(end.http_status);
}

bool IsUnknownModel(const core::RouteDecision& d) {
  return d.no_route && std::find(d.reasons.begin(), d.reasons.end(),
                                 policy::reason::kUnknownModel) != d.reasons.end();
}

// The payloads are written as text (audit/json_text.h): they are built twice per request
// on the data path, and a DOM cost more than the store itself.
std::string OpenPayload(const core::RouteDecision& d, const core::Facts& facts,
                        std::string_view request_id, std::string_view front, bool stream) {
  audit::JsonText j(audit::TakePayloadBuffer(), 768);
  j.BeginObject();
  j.Key("decision_id").String(d.decision_id);
  j.Key("request_id").String(request_id);
  j.Key("time_ms").Int(UnixMillis(d.created_at));
  j.Key("tenant").String(std::string_view(facts.tenant).substr(0, kMostTenantBytes));
  j.Key("policy_version").String(d.policy_version);
  j.Key("class").BeginObject();
  j.Key("detected").String(d.detected_data_class);
  j.Key("declared").String(std::string_view(facts.declared_data_class).substr(0, kMostTenantBytes));
  j.Key("effective").String(d.data_class);
  j.EndObject();
  j.Key("evidence_required").Bool(d.evidence_required);
  j.Key("reasons").BeginArray();
  for (const auto& r : d.reasons) j.String(r);
  j.EndArray();
  j.Key("route_source").String(d.route_source);
  // A model the config does not know is the client's free text: not kept.
  const bool unknown_model = IsUnknownModel(d);
  j.Key("model").String(unknown_model ? std::string_view() : std::string_view(facts.model_alias));
  j.Key("front").String(front);
  j.Key("stream").Bool(stream);
  j.Key("no_route").Bool(d.no_route);
  j.Key("plan").BeginArray();
  for (const auto& a : d.plan) {
    j.BeginObject();
    j.Key("lane").String(a.lane);
    j.Key("role").String(a.role);
    j.Key("redact").Bool(a.redact);
    j.Key("estimated_cost_usd").Double(a.estimated_cost_usd);
    j.EndObject();
  }
  j.EndArray();
  j.Key("entities").BeginObject();
  for (const auto& [type, count] : facts.entity_counts) j.Key(type).Int(count);
  j.EndObject();
  j.Key("estimated_input_tokens").Int(static_cast<std::int64_t>(facts.estimated_input_tokens));
  j.Key("max_output_tokens").Int(static_cast<std::int64_t>(facts.max_output_tokens));
  j.Key("difficulty").Double(d.difficulty);
  j.Key("estimated_cost_usd").Double(d.estimated_cost_usd);
  j.Key("strong_cost_usd").Double(d.strong_cost_usd);
  j.EndObject();
  return j.Take();
}

double PlannedCost(const core::RouteDecision& d, const std::string& lane) {
  for (const auto& a : d.plan) {
    if (a.lane == lane) return a.estimated_cost_usd;
  }
  return 0.0;
}

std::string ClosePayload(const config::Config& config, const core::RouteDecision& d,
                         const route::ExecutionRecord& record, const RequestEnd& end,
                         const std::string& outcome) {
  audit::JsonText j(audit::TakePayloadBuffer(), 512);
  j.BeginObject();
  j.Key("outcome").String(outcome);
  j.Key("http_status").Int(end.http_status);
  j.Key("served_by").String(record.served_by);
  j.Key("upstream_model").String(record.upstream_model);
  j.Key("attempts").BeginArray();
  for (const auto& a : record.attempts) {
    j.BeginObject();
    j.Key("lane").String(a.lane);
    const config::LaneConfig* lane = config.FindLane(a.lane);
    j.Key("lane_kind").String(lane ? config::LaneKindName(lane->kind) : "unknown");
    j.Key("role").String(a.role);
    j.Key("outcome").String(a.status.ok() ? std::string_view("ok") : a.status.reason());
    j.Key("bytes_sent").Int(static_cast<std::int64_t>(a.request_bytes));
    j.Key("latency_ms").Int(a.duration.count());
    j.Key("estimated_cost_usd").Double(a.request_bytes > 0 ? PlannedCost(d, a.lane) : 0.0);
    j.Key("redacted").BeginObject();
    for (const auto& [type, count] : a.redacted_by_type) j.Key(type).Int(count);
    j.EndObject();
    if (a.messages_dropped > 0) j.Key("messages_dropped").Int(a.messages_dropped);
    j.EndObject();
  }
  j.EndArray();
  j.Key("duration_ms").Double(std::chrono::duration<double, std::milli>(end.duration).count());
  j.Key("end_ms").Int(UnixMillis(std::chrono::system_clock::now()));
  j.EndObject();
  return j.Take();
}

// Waits on the calling coroutine's executor until `on_durable` has been called or
// `timeout` has passed. The writer thread only posts; the flag is read and written on
// the coroutine's own (single-threaded) io_context.
struct DurableWait {
  explicit DurableWait(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
  bool done = false;
  core::Status status;
};

bool IsFailClosed(std::string_view reason) {
  return reason == "audit_unavailable" || reason == "no_route" ||
         reason.substr(0, 10) == "redaction_";
}

void CountDrop(const Evidence& evidence, std::string_view kind, bool refused,
               const core::Status& why, const core::RouteDecision& d) {
  if (evidence.metrics) {
    evidence.metrics->Add("lanewise_audit_events_dropped_total",
                          {{"kind", kind}, {"refused", refused ? "true" : "false"}});
  }
  telemetry::Log(refused ? telemetry::LogLevel::kError : telemetry::LogLevel::kWarn,
                 refused ? "audit record unavailable; request refused (evidence class)"
                         : "audit record dropped",
                 {{"decision_id", d.decision_id},
                  {"data_class", d.data_class},
                  {"event", kind},
                  {"error", why.reason()}});
}

}  // namespace

asio::awaitable<core::Status> OpenDecisionRecord(const Evidence& evidence,
                                                 const core::RouteDecision& decision,
                                                 const core::Facts& facts,
                                                 std::string_view request_id,
                                                 std::string_view front, bool stream) {
  if (!evidence.audit) co_return core::Status::Ok();
  audit::AuditEvent event{audit::EventKind::kOpen, decision.decision_id,
                          UnixMillis(decision.created_at),
                          OpenPayload(decision, facts, request_id, front, stream)};
  // Nothing will be sent for a refusal: no need to wait for the record.
  const bool wait = !decision.no_route &&
                    (evidence.wait_for_commit == config::AuditConfig::CommitWait::kAll ||
                     (evidence.wait_for_commit == config::AuditConfig::CommitWait::kEvidence &&
                      decision.evidence_required));
  // The timer only when waiting: building one is a service lookup and an allocation.
  std::shared_ptr<DurableWait> waiter;
  audit::OnDurable on_durable;
  if (wait) {
    auto executor = co_await asio::this_coro::executor;
    waiter = std::make_shared<DurableWait>(executor);
    on_durable = [waiter, executor](const core::Status& status) {
      asio::post(executor, [waiter, status] {
        waiter->done = true;
        waiter->status = status;
        waiter->timer.cancel();
      });
    };
  }
  core::Status status = evidence.audit->Submit(std::move(event), std::move(on_durable));
  if (status.ok() && wait) {
    waiter->timer.expires_after(evidence.open_timeout);
    if (!waiter->done) co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    status = !waiter->done
                 ? core::Unavailable("the audit record was not committed in time", "audit_timeout")
                 : waiter->status;
  }
  if (status.ok()) co_return status;
  const bool refuse = decision.evidence_required && !decision.no_route;
  CountDrop(evidence, "open", refuse, status, decision);
  if (!refuse) co_return core::Status::Ok();
  co_return core::Status(core::StatusCode::kUnavailable,
                         "the decision record for data class '" + decision.data_class +
                             "' could not be stored; the request was not sent to any lane",
                         "audit_unavailable");
}

void CloseDecisionRecord(const Evidence& evidence, const config::Config& config,
                         const core::RouteDecision& decision, const route::ExecutionRecord& record,
                         const RequestEnd& end) {
  const std::string outcome = Outcome(end);
  if (evidence.audit) {
    audit::AuditEvent event{audit::EventKind::kClose, decision.decision_id,
                            UnixMillis(std::chrono::system_clock::now()),
                            ClosePayload(config, decision, record, end, outcome)};
    if (auto s = evidence.audit->Submit(std::move(event)); !s.ok()) {
      CountDrop(evidence, "close", false, s, decision);
    }
  }
  if (!evidence.metrics) return;
  telemetry::Metrics& m = *evidence.metrics;
  const std::string served = record.served_by.empty() ? "none" : record.served_by;
  const std::string cls = decision.data_class.empty() ? "none" : decision.data_class;
  const std::string source = decision.route_source.empty() ? "none" : decision.route_source;
  m.Add("lanewise_requests_total",
        {{"class", cls}, {"lane", served}, {"route_source", source}, {"outcome", outcome}});
  // Refusals that keep data in (not a client's mistake such as an unknown model).
  if (IsFailClosed(outcome)) {
    m.Add("lanewise_fail_closed_total",
          {{"reason",
            decision.no_route && !decision.reasons.empty() ? decision.reasons.front() : outcome}});
  }
  for (std::size_t i = 0; i < record.attempts.size(); ++i) {
    const route::AttemptRecord& a = record.attempts[i];
    if (!a.escalated_because.empty()) {
      m.Add("lanewise_escalations_total", {{"reason", a.escalated_because}});
    }
    if (i > 0 && !record.attempts[i - 1].status.ok()) {
      m.Add("lanewise_fallbacks_total", {{"reason", record.attempts[i - 1].status.reason()}});
    }
    if (a.request_bytes == 0) continue;  // nothing was sent
    const config::LaneConfig* lane = config.FindLane(a.lane);
    const std::string_view kind = lane ? config::LaneKindName(lane->kind) : "unknown";
    m.Add("lanewise_lane_bytes_sent_total", {{"lane", a.lane}, {"kind", kind}},
          static_cast<double>(a.request_bytes));
    for (const auto& [type, count] : a.redacted_by_type) {
      m.Add("lanewise_redacted_entities_total", {{"type", type}}, count);
    }
    if (a.status.ok()) {
      m.Observe("lanewise_lane_ttfb_seconds", {{"lane", a.lane}},
                std::chrono::duration<double>(a.duration).count());
    }
  }
  m.Observe("lanewise_request_duration_seconds", {{"lane", served}},
            std::chrono::duration<double>(end.duration).count());
}

void CountUndecidedRequest(const Evidence& evidence, const RequestEnd& end) {
  if (!evidence.metrics) return;
  evidence.metrics->Add(
      "lanewise_requests_total",
      {{"class", "none"}, {"lane", "none"}, {"route_source", "none"}, {"outcome", Outcome(end)}});
}

}  // namespace lanewise::api
