// Gateway: the HTTP handler of `lanewise serve`. Routes requests to the OpenAI front
// (chat completions, models) and the operational endpoints (/healthz, /readyz), and
// writes one JSON log line per request with its request id.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "api/gateway_snapshot.h"
#include "http/server.h"

namespace lanewise::api {

class Gateway {
 public:
  Gateway(SnapshotSource snapshots, LaneStateSource lane_states);

  boost::asio::awaitable<void> Handle(http::Request& request, http::ResponseWriter& writer);

 private:
  struct Exchange;
  boost::asio::awaitable<void> ChatCompletions(Exchange& ex);
  boost::asio::awaitable<void> Models(Exchange& ex);
  boost::asio::awaitable<void> Explain(Exchange& ex);
  boost::asio::awaitable<void> Ready(Exchange& ex);
  boost::asio::awaitable<void> SendJson(Exchange& ex, int status, std::string body);
  boost::asio::awaitable<void> SendError(Exchange& ex, const core::Status& status);

  SnapshotSource snapshots_;
  LaneStateSource lane_states_;
};

}  // namespace lanewise::api
