// Gateway: the HTTP handler of `lanewise serve`. Routes requests to the OpenAI front
// (chat completions, models), the Anthropic front (messages; translated to and from the
// canonical OpenAI shape, so both fronts share inspection, policy, redaction and lanes)
// and the operational endpoints (/healthz, /readyz, /metrics), and writes one JSON log line
// per request with its request id. Each decision's audit record is opened before any byte
// goes to a lane and closed when the request ends (api/decision_evidence.h).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "api/evidence.h"
#include "api/gateway_snapshot.h"
#include "http/server.h"
#include "state/session_store.h"

namespace lanewise::api {

// The wire format a client speaks: OpenAI chat completions, or Anthropic messages.
enum class Front { kOpenAi, kAnthropic };

class Gateway {
 public:
  // `evidence`: the audit sink and metrics (api/evidence.h); empty records nothing.
  // `sessions` (may be null): per-conversation state for x-lanewise-session (taint,
  // affinity); outlives reloads.
  Gateway(SnapshotSource snapshots, LaneStateSource lane_states, Evidence evidence = {},
          std::shared_ptr<state::SessionStore> sessions = nullptr);

  boost::asio::awaitable<void> Handle(http::Request& request, http::ResponseWriter& writer);

 private:
  struct Exchange;
  struct ChatCall;
  boost::asio::awaitable<void> ChatCompletions(Exchange& ex);
  boost::asio::awaitable<core::Status> PrepareChat(Exchange& ex, ChatCall& call);
  void ListenForEnd(Exchange& ex, ChatCall& call);
  boost::asio::awaitable<void> CompleteChat(Exchange& ex, ChatCall& call);
  boost::asio::awaitable<void> StreamChat(Exchange& ex, ChatCall& call);
  boost::asio::awaitable<void> Models(Exchange& ex);
  boost::asio::awaitable<void> Explain(Exchange& ex);
  boost::asio::awaitable<void> Ready(Exchange& ex);
  boost::asio::awaitable<void> MetricsText(Exchange& ex);
  boost::asio::awaitable<void> SendJson(Exchange& ex, int status, std::string body);
  // `allow` set: a 405 answer with that Allow header.
  boost::asio::awaitable<void> SendError(Exchange& ex, const core::Status& status,
                                         std::string_view allow = {});
  // The request's log line (the decision's summary; never values or prompt text).
  static void WriteRequestLog(const Exchange& ex, std::string_view method, std::string_view path);

  SnapshotSource snapshots_;
  LaneStateSource lane_states_;
  Evidence evidence_;
  std::shared_ptr<state::SessionStore> sessions_;
};

}  // namespace lanewise::api
