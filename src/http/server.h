// http::Server: an HTTP/1.1 server on Boost.Beast with C++20 coroutines.
//
// One io_context per I/O thread; the acceptor hands each new connection to the next
// thread, and a connection lives on that thread for its whole life (so per-thread
// resources need no locks). One coroutine per connection, keep-alive, request bodies
// limited to Options::max_body_bytes (larger ones get a 413 from the server itself).
//
// The handler gets the request and a ResponseWriter. It either sends one whole response
// or starts a chunked response and writes chunks as they come (SSE). It may also Abort()
// the connection (TCP reset), which the upstream simulator uses to inject faults.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace lanewise::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using ResponseHeader = beast_http::response_header<>;

class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;

  // Sends a complete response (Content-Length set by the writer).
  virtual boost::asio::awaitable<core::Status> Send(Response response) = 0;
  // Sends the header of a chunked response; then WriteChunk... and Finish.
  virtual boost::asio::awaitable<core::Status> StartChunked(ResponseHeader header) = 0;
  // Writes one chunk and flushes it to the socket. Empty data is ignored.
  virtual boost::asio::awaitable<core::Status> WriteChunk(std::string_view data) = 0;
  // Writes the last (zero-length) chunk.
  virtual boost::asio::awaitable<core::Status> Finish() = 0;
  // WriteChunk(data) and Finish() in one write (one syscall at the end of a stream).
  virtual boost::asio::awaitable<core::Status> FinishWith(std::string_view data) = 0;
  // Writes raw bytes to the socket, bypassing HTTP framing (fault injection only).
  virtual boost::asio::awaitable<core::Status> WriteRaw(std::string_view bytes) = 0;
  // Resets the connection (RST) without any further bytes; the connection is not reused.
  virtual void Abort() = 0;

  // True once the client has closed its side (checked without consuming pipelined data).
  virtual bool ClientGone() const = 0;
  // Registers a callback run (on the connection's thread) when the client goes away while
  // a response is in progress. Used to cancel upstream work. Replaces any previous one.
  virtual void OnClientGone(std::function<void()> callback) = 0;

  // Registers a callback run (on the connection's thread) when the server's drain grace
  // has run out while this request is still in progress: the handler should stop its work
  // and end the response honestly (an error event, a 503). Replaces any previous one.
  virtual void OnShutdown(std::function<void()> callback) = 0;

  // Whether a response (or its header) has been started.
  virtual bool Started() const = 0;
};

// A request the server answered itself, without the handler (malformed HTTP, a body over
// the limit, a Transfer-Encoding it refuses): for the application's log.
struct RejectedRequest {
  int status = 400;
  std::string request_id;  // also sent as x-request-id
  std::string method;      // empty when the request line could not be read
  std::string target;
  std::string code;  // the error body's code, e.g. "body_too_large"
  std::string message;
};

// The limits that may change while the server runs (a config reload).
struct ServerLimits {
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds header_timeout{30000};
  std::chrono::milliseconds keep_alive_idle{120000};
};

using Handler = std::function<boost::asio::awaitable<void>(Request&, ResponseWriter&)>;

class Server {
 public:
  struct Options {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: pick a free port (see port())
    int io_threads = 1;
    std::size_t max_body_bytes = 1 << 20;
    std::chrono::milliseconds header_timeout{30000};
    std::chrono::milliseconds keep_alive_idle{120000};
    // Names the server in error bodies it writes itself (413, 400 on bad HTTP).
    std::string server_name = "lanewise";
    // After a drain's grace, how long handlers get to end their responses (OnShutdown)
    // before every connection is closed.
    std::chrono::milliseconds shutdown_flush{2000};
    // Told about every request the server answers itself; may be empty. Called on an I/O
    // thread.
    std::function<void(const RejectedRequest&)> on_rejected;
  };

  Server(Options options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws std::system_error on failure (start-up only).
  void Listen();
  std::uint16_t port() const;

  // Runs the I/O threads; returns when all have stopped (after Stop or Drain).
  void Run();
  // Stops accepting, lets in-flight requests finish for up to `grace`, then stops.
  // Thread-safe; may be called from a signal-handling thread.
  void Drain(std::chrono::milliseconds grace);
  // Stops everything now.
  void Stop();
  // Applies new limits to requests read from now on. Thread-safe.
  void SetLimits(const ServerLimits& limits);

  // The io_context of the I/O thread that is running the caller, or nullptr.
  static boost::asio::io_context* CurrentIoContext();
  std::size_t in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lanewise::http
