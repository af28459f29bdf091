// Internals of http::Server: the state shared between the server and its connections,
// and the per-connection coroutine. Not part of the public API.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "http/server.h"

namespace lanewise::http::detail {

class Connection;

// Owned by Server::Impl; outlives every connection coroutine.
struct ServerState {
  Server::Options options;
  Handler handler;
  // The live part of `options` (Server::SetLimits), read for each request.
  std::atomic<std::size_t> max_body_bytes{1 << 20};
  std::atomic<std::int64_t> header_timeout_ms{30000};
  std::atomic<std::int64_t> keep_alive_idle_ms{120000};
  std::chrono::milliseconds HeaderTimeout() const {
    return std::chrono::milliseconds(header_timeout_ms.load(std::memory_order_relaxed));
  }
  std::chrono::milliseconds KeepAliveIdle() const {
    return std::chrono::milliseconds(keep_alive_idle_ms.load(std::memory_order_relaxed));
  }
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> in_flight{0};    // handlers running
  std::atomic<std::size_t> connections{0};  // open connections
};

// The connections of one I/O thread. Only touched on that thread, so no lock.
class ThreadConnections {
 public:
  void Add(Connection* connection) { all_.insert(connection); }
  void Remove(Connection* connection) { all_.erase(connection); }
  // Closes every connection that is waiting for its next request (used by Drain).
  void CloseIdle();
  // Closes every connection (used by Stop and at the end of a drain).
  void CloseAll();
  // Tells every request still in progress that the drain grace is over (OnShutdown).
  void ShutdownAll();

 private:
  std::unordered_set<Connection*> all_;
};

// Serves one accepted connection until it closes. Runs on the socket's executor.
boost::asio::awaitable<void> RunConnection(ServerState& state, ThreadConnections& registry,
                                           boost::asio::ip::tcp::socket socket);

// The JSON error body the server writes itself: {"error":{"message","type","code"}}.
std::string ServerErrorBody(std::string_view message, std::string_view type, std::string_view code);

// The status line and fields of a response as written (see server_connection.cpp).
std::string ResponseHead(const ResponseHeader& header, unsigned version, bool keep_alive,
                         std::optional<std::size_t> content_length);

}  // namespace lanewise::http::detail
