// Client: the pooled HTTP/1.1 client a lane uses to reach its upstream.
//
// Keep-alive connections are pooled per I/O thread (no locks: a connection never leaves
// the thread that opened it). A request that fails on a reused connection before any
// response byte arrived is retried once on a fresh connection (the peer closed an idle
// connection). Every wait has a deadline (ClientDeadlines); the caller may cancel through
// a CancelSlot (the client went away).
//
// Start() returns an Exchange once the response header has arrived; the body is then read
// whole (ReadAll) or piece by piece as it arrives (ReadSome), which is how streams are
// relayed without buffering.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/client_types.h"
#include "http/upstream_connection.h"

namespace lanewise::http {

class Client;

class Exchange {
 public:
  using Clock = std::chrono::steady_clock;
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  int status() const { return status_; }
  std::string header(std::string_view name) const;

  // Reads the rest of the body.
  boost::asio::awaitable<core::Result<std::string>> ReadAll(std::size_t limit = 64 << 20);
  // Reads the next piece of body as it arrives: all body bytes already received, or else
  // what the next network read brings. An empty string means the body is complete.
  boost::asio::awaitable<core::Result<std::string>> ReadSome();
  bool done() const { return parser_->is_done(); }

  // The caller has what it needs (an SSE stream's [DONE]) and reads no further. What is
  // left must be framing only (the last chunk); the connection is then reused once it has
  // arrived, instead of being closed.
  void EndReached() { end_reached_ = true; }
  // Closes the connection now (also from a CancelSlot hook).
  void Cancel();
  // Bytes of read buffer the connection holds (while a stream waits for its next event:
  // only what is left unparsed; docs/architecture.md, "What a request costs").
  std::size_t read_buffer_capacity() const;

 private:
  friend class Client;
  Exchange(Client& client, std::unique_ptr<UpstreamConnection> conn, Clock::time_point deadline,
           ClientDeadlines deadlines, CancelSlotPtr cancel);
  Millis Budget(Millis op) const;
  core::Status BodyError(const boost::system::error_code& ec) const;
  // Appends the body bytes already received to `out`; false on a framing error (`ec`).
  bool ParseBuffered(std::string& out, boost::system::error_code& ec);
  // Appends at least one more body byte to `out`, unless the body is complete.
  boost::asio::awaitable<core::Status> ReadInto(std::string& out);

  Client& client_;
  std::unique_ptr<UpstreamConnection> conn_;
  std::unique_ptr<ResponseParser> parser_;  // a pointer: parked with conn_ at EndReached
  Clock::time_point deadline_;
  ClientDeadlines deadlines_;
  CancelSlotPtr cancel_;
  int status_ = 0;
  bool failed_ = false;
  bool end_reached_ = false;
};

// The request line and fields of `request` for a lane at `host`, with Content-Length and
// the closing empty line (what goes before the body). CR and LF in a value become spaces.
std::string RequestHead(const ClientRequest& request, std::string_view host);

class Client {
 public:
  explicit Client(UpstreamTarget target);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends the request and waits for the response header. `cancel` may be null.
  boost::asio::awaitable<core::Result<std::unique_ptr<Exchange>>> Start(ClientRequest request,
                                                                        ClientDeadlines deadlines,
                                                                        CancelSlotPtr cancel);

  const UpstreamTarget& target() const { return target_; }

  // Closes every idle connection pooled on the calling thread. An I/O thread whose
  // io_context is about to be destroyed calls this first (the sockets belong to it).
  static void DropThreadPools();
  void set_max_idle_per_thread(std::size_t n) { max_idle_ = n; }

 private:
  friend class Exchange;
  std::unique_ptr<UpstreamConnection> TakeIdle();
  void ReturnIdle(std::unique_ptr<UpstreamConnection> conn);

  UpstreamTarget target_;
  std::string host_header_;  // "host" or "host:port", as the Host field says it
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  std::uint64_t id_;  // key of this client's per-thread idle pools
  std::size_t max_idle_ = 32;
};

}  // namespace lanewise::http
