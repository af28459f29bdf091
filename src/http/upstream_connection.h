// UpstreamConnection: one connection to a lane, plain TCP or TLS, with the read buffer
// that belongs to it. Owned by exactly one exchange at a time, or idle in a pool.
// Not thread-safe: lives on the I/O thread that created it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>

#include "core/result.h"
#include "http/client_types.h"

namespace lanewise::http {

namespace beast = boost::beast;
using ResponseParser = beast::http::response_parser<beast::http::buffer_body>;
using OutgoingRequest = beast::http::request<beast::http::string_body>;

class UpstreamConnection {
 public:
  using Clock = std::chrono::steady_clock;

  // Connects (and handshakes when the target is TLS) within `timeout`.
  static boost::asio::awaitable<core::Result<std::unique_ptr<UpstreamConnection>>> Open(
      const UpstreamTarget& target, boost::asio::ssl::context* tls_context, Millis timeout,
      CancelSlot* cancel);

  boost::asio::awaitable<boost::system::error_code> Write(OutgoingRequest& request, Millis timeout);
  boost::asio::awaitable<boost::system::error_code> ReadHeader(ResponseParser& parser,
                                                               Millis timeout);
  // Reads what arrives next (at least one byte of body, or the end) into the parser's body
  // buffer; a full buffer is not an error.
  boost::asio::awaitable<boost::system::error_code> ReadSome(ResponseParser& parser,
                                                             Millis timeout);

  // True when the peer has not closed the idle connection (cheap, non-blocking).
  bool LooksAlive();
  // Closes the socket; pending operations complete with operation_aborted.
  void Close();

 private:
  beast::tcp_stream& Tcp();

  std::unique_ptr<beast::tcp_stream> plain_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
};

}  // namespace lanewise::http
