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
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/client_types.h"
#include "http/deadline_watch.h"

namespace lanewise::http {

namespace beast = boost::beast;
using ResponseParser = beast::http::response_parser<beast::http::buffer_body>;
// A request as it goes on the wire: the head (request line and fields, ending in the empty
// line) written by hand, then the body; one gathered write.
struct OutgoingRequest {
  std::string head;
  std::string body;
};

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
  // Reads what the socket has (at least one byte; one read) into buffer(). End of stream
  // is asio::error::eof.
  boost::asio::awaitable<boost::system::error_code> Fill(Millis timeout);
  // Bytes received and not yet parsed.
  beast::flat_buffer& buffer() { return buffer_; }

  // Parks the parser of a response whose caller stopped reading at the response's logical
  // end (an SSE stream's [DONE] comes before the chunked body's last chunk). The rest must
  // complete without any more body bytes before the connection is reused; LooksAlive
  // finishes it from what has arrived by then. Plain TCP only: false (and the caller
  // closes the connection) for TLS.
  bool ParkUnfinishedResponse(std::unique_ptr<ResponseParser> parser);

  // True when the idle connection can carry a new request: the peer has not closed it and
  // no stray bytes arrived (cheap, non-blocking). A connection idle for less than
  // kFreshFor is not probed (no recv per request under load): if its peer closed it all
  // the same, the first read fails and Client::Start retries on a new connection.
  bool LooksAlive();
  // The connection goes back to the idle pool now.
  void MarkIdle() { idle_since_ = Clock::now(); }
  static constexpr std::chrono::milliseconds kFreshFor{1000};
  // Closes the socket; pending operations complete with operation_aborted.
  void Close();

 private:
  beast::tcp_stream& Tcp();
  bool FinishUnfinishedResponse();
  // Fill's non-blocking read (plain TCP): true when it got bytes or an error (in ec, EOF as
  // asio::error::eof), false when nothing has arrived yet.
  bool TryRead(boost::system::error_code& ec);
  // Ends the watch of one operation; its error becomes beast::error::timeout if the
  // deadline passed.
  boost::system::error_code Finished(boost::system::error_code ec);

  std::unique_ptr<beast::tcp_stream> plain_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
  std::unique_ptr<ResponseParser> unfinished_;
  std::unique_ptr<DeadlineWatch> watch_;  // set once connected
  Clock::time_point idle_since_{};
};

}  // namespace lanewise::http
