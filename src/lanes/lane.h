// Lane: one place a request can be served (a local model server, a private cluster, a
// managed cloud API), behind a provider adapter that speaks its wire format.
//
// Adapters translate core::ChatRequest into the provider's request and the provider's
// answer back into core::ChatResponse / core::ChatEvent; nothing else in the gateway
// knows a provider's format. A lane lives as long as the config snapshot that built it
// and is used from every I/O thread (its state is per-thread or immutable).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/chat_event.h"
#include "core/chat_request.h"
#include "core/result.h"
#include "http/client_types.h"

namespace lanewise::lanes {

struct CallContext {
  std::string request_id;
  http::CancelSlotPtr cancel;  // fired when the client goes away; may be null
  // When set, receives the size of the request body the lane sent (the decision record's
  // bytes per lane).
  std::size_t* request_bytes = nullptr;
  // The model the client asked for: answers carry it instead of the lane's model name
  // (a llama.cpp server answers with its own alias or model path). Empty: left as is.
  std::string client_model;
  // Largest upstream SSE event accepted (bytes); a larger one ends the stream with an
  // error event instead of being buffered whole. 0: the lane's configured bound.
  std::size_t max_event_bytes = 0;
};

// A streamed answer. Next() returns chunks, then exactly one terminal event (kDone or
// kError); after that it keeps returning that terminal event.
class ChatStream {
 public:
  virtual ~ChatStream() = default;
  virtual boost::asio::awaitable<core::ChatEvent> Next() = 0;
  // True when Next() would return at once (the event has already been received), so the
  // caller may batch it into the same write to its client.
  virtual bool HasBufferedEvent() const { return false; }
  // The next event when it has already been received, without suspending (a plain call,
  // no coroutine frame: a stream's events mostly arrive several per network read);
  // nullopt when Next() would have to wait. Either way the two hand out one sequence.
  virtual std::optional<core::ChatEvent> TryNext() { return std::nullopt; }
};

class Lane {
 public:
  virtual ~Lane() = default;
  virtual const config::LaneConfig& config() const = 0;
  const std::string& name() const { return config().name; }

  // Non-streaming call. A lane-side HTTP error is a kUpstreamError Status carrying the
  // lane's status, type and message.
  virtual boost::asio::awaitable<core::Result<core::ChatResponse>> Complete(
      const core::ChatRequest& request, const std::string& upstream_model,
      const CallContext& context) = 0;

  // Streaming call: succeeds once the lane accepted the request (HTTP 200 header).
  virtual boost::asio::awaitable<core::Result<std::unique_ptr<ChatStream>>> Stream(
      const core::ChatRequest& request, const std::string& upstream_model,
      const CallContext& context) = 0;

  // Cheap reachability check (for /readyz and lane health).
  virtual boost::asio::awaitable<core::Status> Probe(http::Millis timeout) = 0;
};

}  // namespace lanewise::lanes
