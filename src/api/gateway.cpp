#include "api/gateway.h"

#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <optional>

#include "api/anthropic_errors.h"
#include "api/anthropic_request.h"
#include "api/anthropic_response.h"
#include "api/chat_request_parser.h"
#include "api/decision_evidence.h"
#include "api/openai_errors.h"
#include "core/ids.h"
#include "http/sse_parser.h"
#include "route/decision_error.h"
#include "telemetry/json_log.h"

namespace lanewise::api {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;

std::string_view HeaderOf(const http::Request& request, std::string_view name) {
  auto it = request.find(name);
  if (it == request.end()) return {};
  return std::string_view(it->value().data(), it->value().size());
}

RequestHints HintsOf(const http::Request& request) {
  return {HeaderOf(request, "x-lanewise-data-class"), HeaderOf(request, "x-lanewise-latency"),
          HeaderOf(request, "x-lanewise-session"), HeaderOf(request, "x-lanewise-tenant")};
}

// The request line's part about what was sent where: per attempt the lane, outcome,
// bytes sent and what was redacted (counts by type, never values).
void AppendAttempts(telemetry::LogLine& line, const route::ExecutionRecord& record) {
  line.Open("attempts", '[');
  for (const auto& attempt : record.attempts) {
    line.Open("", '{');
    line.Str("lane", attempt.lane).Str("role", attempt.role);
    line.Str("outcome", !attempt.status.ok() ? std::string_view(attempt.status.reason())
                        : attempt.escalated_because.empty() ? std::string_view("ok")
                                                            : std::string_view("escalated"));
    if (!attempt.escalated_because.empty()) {
      line.Str("escalated_because", attempt.escalated_because);
    }
    line.Int("bytes_sent", static_cast<long long>(attempt.request_bytes));
    line.Fixed("estimated_cost_usd", attempt.estimated_cost_usd, 9);
    // The latency model's prediction and what the attempt took (when known).
    if (attempt.predicted_ttft_ms >= 0)
      line.Fixed("predicted_ttft_ms", attempt.predicted_ttft_ms, 3);
    if (attempt.predicted_total_ms >= 0) {
      line.Fixed("predicted_total_ms", attempt.predicted_total_ms, 3);
    }
    if (attempt.ttft_ms >= 0) line.Fixed("ttft_ms", attempt.ttft_ms, 3);
    if (attempt.total_ms >= 0) line.Fixed("total_ms", attempt.total_ms, 3);
    if (attempt.queued_ms > 0) line.Fixed("queued_ms", attempt.queued_ms, 3);
    if (attempt.redacted) {
      line.Open("redacted", '{');
      for (const auto& [type, count] : attempt.redacted_by_type) {
        line.Int(type, static_cast<long long>(count));
      }
      line.Close('}');
    }
    if (attempt.messages_dropped > 0) {
      line.Int("messages_dropped", static_cast<long long>(attempt.messages_dropped));
    }
    line.Close('}');
  }
  line.Close(']');
}

// The request line's cascade part: the judgement of the first lane's answer.
void AppendCascade(telemetry::LogLine& line, const route::CascadeRecord& cascade) {
  line.Open("cascade", '{');
  line.Str("verdict", cascade.verdict).Fixed("threshold", cascade.threshold, 6);
  line.Fixed("confidence", cascade.confidence, 6);
  line.Int("scored_tokens", static_cast<long long>(cascade.scored_tokens));
  if (!cascade.reason.empty()) line.Str("reason", cascade.reason);
  if (cascade.escalation_failed) line.Bool("escalation_failed", true);
  line.Close('}');
}

// The request's own objective: the x-lanewise-objective header replaces
// metadata.lanewise_objective (read by the inspector).
void ApplyObjectiveHeader(const http::Request& request, core::Facts& facts) {
  std::string_view objective = HeaderOf(request, "x-lanewise-objective");
  if (!objective.empty()) facts.objective = std::string(objective);
}

// x-lanewise-deadline-ms: a whole number of milliseconds, 1 to 86,400,000.
core::Status ApplyDeadlineHeader(const http::Request& request, core::Facts& facts) {
  std::string_view text = HeaderOf(request, "x-lanewise-deadline-ms");
  if (text.empty()) return core::Status::Ok();
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || value > 86'400'000) {
      value = -1;
      break;
    }
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 86'400'000) {
    return core::InvalidArgument(
        "x-lanewise-deadline-ms must be a whole number of milliseconds from 1 to 86400000",
        "invalid_deadline");
  }
  facts.deadline_ms = value;
  return core::Status::Ok();
}

std::string FormatScore(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

// Longer session ids are not remembered (the store is keyed by them).
constexpr std::size_t kMaxSessionIdBytes = 256;

constexpr std::string_view kPostOnly = "POST";
constexpr std::string_view kGetOrHead = "GET, HEAD";

// The methods a known path takes (an Allow header's value); empty for an unknown path.
std::string_view AllowedMethods(std::string_view path) {
  if (path == "/v1/chat/completions" || path == "/chat/completions" || path == "/v1/messages" ||
      path == "/messages" || path == "/v1/lanewise/explain") {
    return kPostOnly;
  }
  if (path == "/v1/models" || path == "/models" || path == "/healthz" || path == "/readyz" ||
      path == "/metrics") {
    return kGetOrHead;
  }
  return {};
}

// The answer to a request still running when the drain grace ran out.
core::Status ShuttingDown() {
  return core::Status(core::StatusCode::kUnavailable,
                      "the gateway is shutting down and cut this request; retry it",
                      "server_shutting_down");
}

std::string_view PathOf(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

}  // namespace

struct Gateway::Exchange {
  http::Request& request;
  http::ResponseWriter& writer;
  std::string request_id;
  SnapshotPtr snapshot;
  Clock::time_point start = Clock::now();
  int status = 0;
  std::optional<core::RouteDecision> decision;
  route::ExecutionRecord record;
  std::string error_reason;
  bool stream = false;
  std::string model_alias;
  Front front = Front::kOpenAi;  // whose wire format and error envelope the client speaks
  std::string dropped_fields;    // request fields removed before any lane saw them
  bool request_id_from_client = false;
  bool shutting_down = false;  // the server's drain grace ran out while this request ran

  void Decorate(bhttp::fields& headers) const {
    headers.set("x-request-id", request_id);
    if (!dropped_fields.empty()) headers.set("x-lanewise-dropped-fields", dropped_fields);
    if (decision) {
      headers.set("x-lanewise-decision-id", decision->decision_id);
      headers.set("x-lanewise-data-class", decision->data_class);
      headers.set("x-lanewise-policy-version", decision->policy_version);
      if (decision->difficulty >= 0) {
        headers.set("x-lanewise-difficulty", FormatScore(decision->difficulty));
      }
    }
    if (!record.served_by.empty()) {
      headers.set("x-lanewise-lane", record.served_by);
      headers.set("x-lanewise-model", record.upstream_model);
    }
    // Capacity (docs/policy.md): attempts a full lane turned away, and queueing.
    std::string capacity;
    for (const route::AttemptRecord& a : record.attempts) {
      const std::string& why = a.status.reason();
      if (why == "lane_at_capacity" || why == "lane_queue_full" || why == "lane_queue_timeout") {
        capacity += (capacity.empty() ? "" : ", ") + a.lane + "=" + why;
      }
    }
    if (!capacity.empty()) headers.set("x-lanewise-capacity", capacity);
    if (!record.attempts.empty() && record.attempts.back().queued_ms > 0) {
      headers.set("x-lanewise-queued-ms", std::to_string(record.attempts.back().queued_ms));
    }
    if (record.cascade.judged) {
      const route::CascadeRecord& c = record.cascade;
      headers.set("x-lanewise-cascade", c.escalation_failed ? "escalation_failed" : c.verdict);
      headers.set("x-lanewise-cascade-threshold", FormatScore(c.threshold));
      if (c.confidence >= 0) headers.set("x-lanewise-confidence", FormatScore(c.confidence));
      if (!c.reason.empty()) headers.set("x-lanewise-cascade-reason", c.reason);
    }
  }
};

Gateway::Gateway(SnapshotSource snapshots, LaneStateSource lane_states, Evidence evidence,
                 std::shared_ptr<state::SessionStore> sessions)
    : snapshots_(std::move(snapshots)),
      lane_states_(std::move(lane_states)),
      evidence_(std::move(evidence)),
      sessions_(std::move(sessions)) {}

asio::awaitable<void> Gateway::SendJson(Exchange& ex, int status, std::string body) {
  http::Response response{static_cast<bhttp::status>(status), ex.request.version()};
  response.set(bhttp::field::content_type, "application/json");
  if (status == 503) response.set(bhttp::field::retry_after, "1");  // /readyz: not ready yet
  ex.Decorate(response.base());
  response.body() = std::move(body);
  response.keep_alive(ex.request.keep_alive());
  ex.status = status;
  co_await ex.writer.Send(std::move(response));
}

asio::awaitable<void> Gateway::SendError(Exchange& ex, const core::Status& status,
                                         std::string_view allow) {
  if (status.code() == core::StatusCode::kCancelled && ex.shutting_down) {
    co_await SendError(ex, ShuttingDown());
    co_return;
  }
  ErrorEnvelope envelope =
      ex.front == Front::kAnthropic ? ToAnthropicError(status) : ToOpenAiError(status);
  ex.error_reason =
      status.reason().empty() ? std::string(core::StatusCodeName(status.code())) : status.reason();
  if (status.code() == core::StatusCode::kCancelled) {
    ex.status = 499;
    co_return;  // nobody is listening
  }
  http::Response response{static_cast<bhttp::status>(envelope.http_status), ex.request.version()};
  response.set(bhttp::field::content_type, "application/json");
  if (envelope.retry_after > 0) {
    response.set(bhttp::field::retry_after, std::to_string(envelope.retry_after));
  }
  if (!allow.empty()) {
    response.result(bhttp::status::method_not_allowed);
    response.set(bhttp::field::allow, allow);
  }
  ex.Decorate(response.base());
  response.body() = std::move(envelope.body);
  response.keep_alive(ex.request.keep_alive());
  ex.status = static_cast<int>(response.result_int());
  co_await ex.writer.Send(std::move(response));
}

asio::awaitable<void> Gateway::Handle(http::Request& request, http::ResponseWriter& writer) {
  std::string_view incoming_id = HeaderOf(request, "x-request-id");
  Exchange ex{request, writer,
              core::IsSafeRequestId(incoming_id) ? std::string(incoming_id) : core::NewId("req_"),
              snapshots_()};
  ex.request_id_from_client = core::IsSafeRequestId(incoming_id);
  const std::string_view path =
      PathOf(std::string_view(request.target().data(), request.target().size()));
  // HEAD is GET without the body (the server writes no body for it).
  const bhttp::verb method =
      request.method() == bhttp::verb::head ? bhttp::verb::get : request.method();
  const std::string_view allow = AllowedMethods(path);

  const bool chat = allow == kPostOnly && path != "/v1/lanewise/explain";
  if (path == "/v1/messages" || path == "/messages") ex.front = Front::kAnthropic;
  if (allow.empty() || (path == "/metrics" && evidence_.metrics == nullptr)) {
    co_await SendError(ex, core::NotFound("unknown route: " + std::string(request.method_string()) +
                                              " " + std::string(path),
                                          "unknown_route"));
  } else if (method != (allow == kPostOnly ? bhttp::verb::post : bhttp::verb::get)) {
    co_await SendError(
        ex,
        core::InvalidArgument("use " + std::string(allow) + " for " + std::string(path) + ", not " +
                                  std::string(request.method_string()),
                              "method_not_allowed"),
        allow);
  } else if (path == "/v1/chat/completions" || path == "/chat/completions") {
    co_await ChatCompletions(ex);
  } else if (path == "/v1/messages" || path == "/messages") {
    ex.front = Front::kAnthropic;
    co_await ChatCompletions(ex);
  } else if (path == "/v1/lanewise/explain") {
    co_await Explain(ex);
  } else if (path == "/v1/models" || path == "/models") {
    co_await Models(ex);
  } else if (path == "/metrics") {
    co_await MetricsText(ex);
  } else if (path == "/healthz") {
    co_await SendJson(ex, 200, R"({"status":"ok"})");
  } else {
    co_await Ready(ex);
  }

  if (chat && method == bhttp::verb::post) {
    const RequestEnd end{ex.status, ex.error_reason, Clock::now() - ex.start};
    if (ex.decision) {
      CloseDecisionRecord(evidence_, *ex.snapshot->config, *ex.decision, ex.record, end);
    } else {
      CountUndecidedRequest(evidence_, end);
    }
  }

  WriteRequestLog(ex, request.method_string(), path);
}

void Gateway::WriteRequestLog(const Exchange& ex, std::string_view method, std::string_view path) {
  telemetry::LogLine line(telemetry::LogLevel::kInfo, "request");
  if (!line.enabled()) return;
  line.Str("request_id", ex.request_id).Str("method", method).Str("path", path);
  line.Int("status", ex.status);
  line.Fixed("duration_ms",
             std::chrono::duration<double, std::milli>(Clock::now() - ex.start).count(), 3);
  if (!ex.model_alias.empty()) line.Str("model", ex.model_alias);
  if (ex.stream) line.Bool("stream", true);
  if (ex.decision) {
    const core::RouteDecision& d = *ex.decision;
    line.Str("decision_id", d.decision_id).Str("data_class", d.data_class);
    line.Fixed("difficulty", d.difficulty, 6);
    if (!d.objective.empty()) {
      line.Str("objective", d.objective).Fixed("difficulty_threshold", d.difficulty_threshold, 6);
    }
    line.Fixed("estimated_cost_usd", d.estimated_cost_usd, 9);
    if (d.deadline_ms > 0) line.Int("deadline_ms", d.deadline_ms);
    line.Fixed("strong_cost_usd", d.strong_cost_usd, 9);
  }
  if (!ex.record.served_by.empty()) line.Str("lane", ex.record.served_by);
  if (!ex.record.attempts.empty()) AppendAttempts(line, ex.record);
  if (ex.record.cascade.judged) AppendCascade(line, ex.record.cascade);
  if (!ex.error_reason.empty()) line.Str("error", ex.error_reason);
  line.Write();
}

namespace {

// The dropped fields' paths, comma-separated, printable ASCII only, at most ~1 KB.
std::string DroppedFieldsHeader(const std::vector<std::string>& dropped) {
  constexpr std::size_t kMostBytes = 1024;
  std::string out;
  for (const std::string& path : dropped) {
    if (out.size() + path.size() + 2 > kMostBytes) {
      out += out.empty() ? "..." : ", ...";
      break;
    }
    if (!out.empty()) out += ", ";
    for (char c : path) out.push_back(c >= 0x20 && c < 0x7f && c != ',' ? c : '?');
  }
  return out;
}

}  // namespace

asio::awaitable<void> Gateway::Explain(Exchange& ex) {
  auto parsed = ParseChatRequest(ex.request.body(), HintsOf(ex.request));
  if (!parsed.ok()) {
    co_await SendError(ex, parsed.status());
    co_return;
  }
  const GatewaySnapshot& snap = *ex.snapshot;
  core::Facts facts = snap.inspect(parsed.value());
  ApplyObjectiveHeader(ex.request, facts);
  if (core::Status deadline = ApplyDeadlineHeader(ex.request, facts); !deadline.ok()) {
    co_await SendError(ex, deadline);
    co_return;
  }
  boost::json::object explanation = snap.explain(parsed.value(), facts, lane_states_());
  co_await SendJson(ex, 200, boost::json::serialize(explanation));
}

// What a chat request carries from its decision to its answer. On the heap, and filled by
// a coroutine of its own (PrepareChat), so that an open stream keeps only this and the
// relay's state: a coroutine frame holds every local of every step of its function for
// as long as it runs.
struct Gateway::ChatCall {
  core::ChatRequest chat;
  core::Facts facts;
  bool in_session = false;
  std::optional<state::SessionState> session;
  std::shared_ptr<http::CancelSlot> cancel;
  lanes::CallContext context;
};

asio::awaitable<void> Gateway::ChatCompletions(Exchange& ex) {
  auto call = std::make_unique<ChatCall>();
  if (core::Status failed = co_await PrepareChat(ex, *call); !failed.ok()) {
    co_await SendError(ex, failed);
    co_return;
  }
  ListenForEnd(ex, *call);
  if (call->chat.stream) {
    co_await StreamChat(ex, *call);
  } else {
    co_await CompleteChat(ex, *call);
  }
}

// Parse, inspect, decide and open the decision record: an error to answer with, or ok.
asio::awaitable<core::Status> Gateway::PrepareChat(Exchange& ex, ChatCall& call) {
  const bool anthropic = ex.front == Front::kAnthropic;
  auto parsed = anthropic ? ParseAnthropicRequest(ex.request.body(), HintsOf(ex.request))
                          : ParseChatRequest(ex.request.body(), HintsOf(ex.request));
  if (!parsed.ok()) co_return parsed.status();
  call.chat = std::move(parsed.value());
  core::ChatRequest& chat = call.chat;
  chat.request_id = ex.request_id;
  chat.request_id_from_client = ex.request_id_from_client;
  ex.model_alias = chat.model_alias;
  ex.stream = chat.stream;
  ex.dropped_fields = DroppedFieldsHeader(chat.dropped_fields);

  const GatewaySnapshot& snap = *ex.snapshot;
  call.facts = snap.inspect(chat);
  core::Facts& facts = call.facts;
  ApplyObjectiveHeader(ex.request, facts);
  if (core::Status deadline = ApplyDeadlineHeader(ex.request, facts); !deadline.ok()) {
    co_return deadline;
  }
  // A session's earlier turns: its class is a floor, its lane preferred (docs/policy.md,
  // "Sessions").
  call.in_session = sessions_ != nullptr && !chat.session_id.empty() &&
                    chat.session_id.size() <= kMaxSessionIdBytes;
  if (call.in_session) call.session = sessions_->Get(chat.session_id);
  if (call.session) {
    facts.session_class = call.session->data_class;
    facts.session_lane = call.session->lane;
  }
  auto decided = snap.decide(chat, facts, lane_states_());
  if (!decided.ok()) co_return decided.status();
  ex.decision = std::move(decided.value());
  // Taint first: even a refused turn raises the session's class.
  if (call.in_session && !ex.decision->data_class.empty()) {
    sessions_->Put(chat.session_id,
                   {ex.decision->data_class, call.session ? call.session->lane : std::string()});
  }
  const core::RouteDecision& decision = *ex.decision;
  // The audit record exists before any byte goes to a lane (and before a refusal is sent).
  // (Locals, not `?:` inside the co_await: g++ 12 destroys the other branch's temporary.)
  const std::string_view lane_request_id =
      facts.request_id_sensitive ? std::string_view() : std::string_view(ex.request_id);
  const std::string_view front_name = anthropic ? "anthropic" : "openai";
  core::Status recorded = co_await OpenDecisionRecord(evidence_, decision, facts, lane_request_id,
                                                      front_name, chat.stream);
  if (!recorded.ok()) co_return recorded;
  co_return route::DecisionError(decision, chat.model_alias);
}

// The client going away, or the drain grace running out, cancels the lane call.
void Gateway::ListenForEnd(Exchange& ex, ChatCall& call) {
  call.cancel = std::make_shared<http::CancelSlot>();
  auto on_gone = [cancel = call.cancel] { cancel->Cancel(); };
  ex.writer.OnClientGone(on_gone);
  // The drain grace ran out: stop the lane and tell the client (error event or 503).
  Exchange* exchange = &ex;
  auto on_shutdown = [cancel = call.cancel, exchange] {
    exchange->shutting_down = true;
    cancel->Cancel();
  };
  ex.writer.OnShutdown(on_shutdown);
  // The id a lane sees: the client's, unless inspection found a value in it.
  call.context.request_id =
      call.facts.request_id_sensitive ? ex.decision->decision_id : ex.request_id;
  call.context.cancel = call.cancel;
  call.context.client_model = call.chat.model_alias;
}

asio::awaitable<void> Gateway::CompleteChat(Exchange& ex, ChatCall& call) {
  const bool anthropic = ex.front == Front::kAnthropic;
  const GatewaySnapshot& snap = *ex.snapshot;
  const core::ChatRequest& chat = call.chat;
  const core::RouteDecision& decision = *ex.decision;
  auto answer =
      co_await snap.executor->Complete(chat, call.facts, decision, call.context, ex.record);
  if (call.in_session && !ex.record.served_by.empty()) {
    sessions_->Put(chat.session_id, {decision.data_class, ex.record.served_by});
  }
  if (!answer.ok()) {
    co_await SendError(ex, answer.status());
    co_return;
  }
  if (anthropic) {
    auto message = AnthropicMessageFromCompletion(answer->body, chat.stop_sequences);
    if (!message.ok()) {
      co_await SendError(ex, message.status());
      co_return;
    }
    answer->body = std::move(message.value());
  }
  co_await SendJson(ex, 200, std::move(answer->body));
}

asio::awaitable<void> Gateway::StreamChat(Exchange& ex, ChatCall& call) {
  const bool anthropic = ex.front == Front::kAnthropic;
  const GatewaySnapshot& snap = *ex.snapshot;
  const core::ChatRequest& chat = call.chat;
  const core::RouteDecision& decision = *ex.decision;
  http::CancelSlot& cancel = *call.cancel;
  auto stream = co_await snap.executor->Stream(chat, call.facts, decision, call.context, ex.record);
  if (call.in_session && !ex.record.served_by.empty()) {
    sessions_->Put(chat.session_id, {decision.data_class, ex.record.served_by});
  }
  if (!stream.ok()) {
    co_await SendError(ex, stream.status());
    co_return;
  }
  http::ResponseHeader header;
  header.version(ex.request.version());
  header.result(bhttp::status::ok);
  header.set(bhttp::field::content_type, "text/event-stream");
  header.set(bhttp::field::cache_control, "no-cache");
  header.set("x-accel-buffering", "no");
  ex.Decorate(header);
  ex.status = 200;
  if (auto s = co_await ex.writer.StartChunked(std::move(header)); !s.ok()) {
    cancel.Cancel();
    ex.error_reason = "client_closed";
    co_return;
  }
  // Events that have already arrived together are written together: one write per
  // network read from the lane, not one per event.
  std::string pending;
  std::optional<AnthropicStreamTranslator> to_anthropic;
  if (anthropic) {
    to_anthropic.emplace(chat.stop_sequences,
                         static_cast<std::int64_t>(call.facts.estimated_input_tokens));
  }
  while (true) {
    // An event already received is taken without a coroutine round trip.
    // (Not `?:` around the co_await: g++ 12 destroys the other branch's temporary.)
    std::optional<core::ChatEvent> ready = stream.value()->TryNext();
    core::ChatEvent event;
    if (ready.has_value()) {
      event = std::move(*ready);
    } else {
      event = co_await stream.value()->Next();
    }
    core::Status written;
    bool last = false;
    if (event.kind == core::ChatEvent::Kind::kChunk) {
      if (to_anthropic) {
        pending += to_anthropic->OnChunk(event.data);
      } else {
        http::AppendSseData(pending, event.data);
      }
      if (to_anthropic && to_anthropic->Finished()) {
        // A stop sequence ended the message: the lane's further output is not wanted.
        cancel.Cancel();
        pending += to_anthropic->OnDone();
        last = true;
      } else if (stream.value()->HasBufferedEvent()) {
        continue;
      }
    } else if (event.kind == core::ChatEvent::Kind::kDone) {
      pending += to_anthropic ? to_anthropic->OnDone() : std::string("data: [DONE]\n\n");
      last = true;
    } else {
      // Invariant 4: a stream that breaks after its first byte ends with an error event,
      // never with [DONE] (or, for Anthropic clients, message_stop).
      if (event.error.code() == core::StatusCode::kCancelled && ex.shutting_down) {
        event.error = ShuttingDown();
      }
      ex.error_reason = event.error.reason().empty() ? "stream_error" : event.error.reason();
      if (event.error.code() == core::StatusCode::kCancelled) break;
      pending += to_anthropic ? to_anthropic->OnError(event.error)
                              : http::EncodeSseData(OpenAiErrorJson(event.error));
      last = true;
    }
    // The stream's last events and the end of the response go out in one write. (Not
    // `last ? co_await a : co_await b`: g++ 12 destroys the other branch's temporary.)
    if (last) {
      written = co_await ex.writer.FinishWith(pending);
    } else {
      written = co_await ex.writer.WriteChunk(pending);
    }
    pending.clear();
    if (!written.ok()) {
      cancel.Cancel();
      ex.error_reason = "client_closed";
      break;
    }
    if (last) break;
  }
}

asio::awaitable<void> Gateway::Models(Exchange& ex) {
  boost::json::array data;
  for (const auto& alias : ex.snapshot->config->Aliases()) {
    boost::json::object model;
    model["id"] = alias;
    model["object"] = "model";
    model["created"] = 0;
    model["owned_by"] = "lanewise";
    data.push_back(std::move(model));
  }
  boost::json::object root;
  root["object"] = "list";
  root["data"] = std::move(data);
  co_await SendJson(ex, 200, boost::json::serialize(root));
}

asio::awaitable<void> Gateway::MetricsText(Exchange& ex) {
  http::Response response{bhttp::status::ok, ex.request.version()};
  response.set(bhttp::field::content_type, "text/plain; version=0.0.4");
  ex.Decorate(response.base());
  response.body() = evidence_.metrics->Render();
  response.keep_alive(ex.request.keep_alive());
  ex.status = 200;
  co_await ex.writer.Send(std::move(response));
}

asio::awaitable<void> Gateway::Ready(Exchange& ex) {
  boost::json::array lanes;
  bool any_ready = false;
  const core::LaneStates states = lane_states_();
  for (const auto& [name, lane] : ex.snapshot->lanes->lanes()) {
    boost::json::object entry;
    entry["name"] = name;
    entry["kind"] = config::LaneKindName(lane->config().kind);
    // A lane whose breaker is open gets no requests, however well it answers a probe.
    auto state = states.find(name);
    const bool breaker_open = state != states.end() && !state->second.reachable;
    entry["breaker"] = breaker_open ? "open" : "closed";
    if (breaker_open) {
      entry["reachable"] = false;
      entry["ready"] = false;
      entry["error"] = "the lane's circuit breaker is open after repeated failures";
    } else {
      core::Status probe = co_await lane->Probe(std::chrono::milliseconds(1500));
      entry["reachable"] = probe.ok();
      entry["ready"] = probe.ok();
      if (!probe.ok()) entry["error"] = probe.message();
      any_ready = any_ready || probe.ok();
    }
    lanes.push_back(std::move(entry));
  }
  boost::json::object root;
  root["ready"] = any_ready;
  root["policy_version"] = ex.snapshot->config->version;
  root["lanes"] = std::move(lanes);
  co_await SendJson(ex, any_ready ? 200 : 503, boost::json::serialize(root));
}

}  // namespace lanewise::api
