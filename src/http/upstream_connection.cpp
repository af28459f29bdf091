#include "http/upstream_connection.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>
#include <vector>

namespace lanewise::http {
namespace {

namespace asio = boost::asio;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Reads take what the socket holds, up to this (Beast's own reads would take 512 bytes at a
// time from a fresh buffer).
constexpr std::size_t kReadSize = 16 * 1024;
// A connection's buffer starts this large (a completion's head and body, or a stream's
// events, mostly fit) and grows towards kReadSize only for larger answers: an open stream
// does not hold 16 KB it never uses.
constexpr std::size_t kInitialBufferSize = 4 * 1024;
constexpr std::size_t kTailReadSize = 512;
// Fill gives its buffer back while it waits when at most this much is left unparsed.
constexpr std::size_t kKeptWhileWaiting = 256;

core::Status ConnectError(const UpstreamTarget& target, const boost::system::error_code& ec) {
  std::string where = target.host + ":" + std::to_string(target.port);
  if (ec == beast::error::timeout) {
    return core::DeadlineExceeded("connect to " + where + " timed out", "connect_timeout");
  }
  if (ec == asio::error::operation_aborted) {
    return {core::StatusCode::kCancelled, "request cancelled", "client_closed"};
  }
  return core::Unavailable("connect to " + where + " failed: " + ec.message(), "lane_unreachable");
}

}  // namespace

asio::awaitable<core::Result<std::unique_ptr<UpstreamConnection>>> UpstreamConnection::Open(
    const UpstreamTarget& target, asio::ssl::context* tls_context, Millis timeout,
    CancelSlot* cancel) {
  auto executor = co_await asio::this_coro::executor;
  auto conn = std::unique_ptr<UpstreamConnection>(new UpstreamConnection());
  // A literal address needs no resolver (which runs getaddrinfo on a thread of its own).
  boost::system::error_code not_literal;
  const asio::ip::address literal = asio::ip::make_address(target.host, not_literal);
  std::vector<asio::ip::tcp::endpoint> endpoints;
  if (not_literal) {
    asio::ip::tcp::resolver resolver(executor);
    auto [rec, resolved] =
        co_await resolver.async_resolve(target.host, std::to_string(target.port), kTuple);
    if (rec) co_return ConnectError(target, rec);
    for (const auto& entry : resolved) endpoints.push_back(entry.endpoint());
  } else {
    endpoints.emplace_back(literal, target.port);
  }

  if (target.tls) {
    conn->tls_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor, *tls_context);
  } else {
    conn->plain_ = std::make_unique<beast::tcp_stream>(executor);
  }
  beast::tcp_stream& tcp = conn->Tcp();
  UpstreamConnection* raw = conn.get();
  if (cancel != nullptr) {
    auto close_hook = [raw] { raw->Close(); };
    cancel->SetHook(close_hook);
  }
  tcp.expires_after(timeout);
  auto [cec, endpoint] = co_await tcp.async_connect(endpoints, kTuple);
  (void)endpoint;
  if (cancel != nullptr && cancel->cancelled()) cec = asio::error::operation_aborted;
  if (cec) co_return ConnectError(target, cec);
  tcp.socket().set_option(asio::ip::tcp::no_delay(true));

  if (conn->tls_) {
    SSL* ssl = conn->tls_->native_handle();
    if (!SSL_set_tlsext_host_name(ssl, target.host.c_str())) {
      co_return core::Unavailable("TLS: cannot set SNI host name " + target.host, "tls_error");
    }
    if (target.verify_tls) {
      conn->tls_->set_verify_mode(asio::ssl::verify_peer);
      conn->tls_->set_verify_callback(asio::ssl::host_name_verification(target.host));
    } else {
      conn->tls_->set_verify_mode(asio::ssl::verify_none);
    }
    tcp.expires_after(timeout);
    auto [hec] = co_await conn->tls_->async_handshake(asio::ssl::stream_base::client, kTuple);
    if (hec) {
      if (hec == beast::error::timeout) co_return ConnectError(target, hec);
      co_return core::Unavailable("TLS handshake with " + target.host + " failed: " + hec.message(),
                                  "tls_error");
    }
  }
  tcp.expires_never();
  if (cancel != nullptr) cancel->ClearHook();
  // From here on deadlines are per exchange step, watched without a timer per operation.
  auto close_socket = [raw] { raw->Close(); };
  conn->watch_ = std::make_unique<DeadlineWatch>(executor, close_socket);
  conn->buffer_.reserve(kInitialBufferSize);
  co_return conn;
}

beast::tcp_stream& UpstreamConnection::Tcp() {
  return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

boost::system::error_code UpstreamConnection::Finished(boost::system::error_code ec) {
  watch_->Disarm();
  if (ec && watch_->expired()) return beast::error::timeout;
  return ec;
}

asio::awaitable<boost::system::error_code> UpstreamConnection::Write(OutgoingRequest& request,
                                                                     Millis timeout) {
  watch_->Arm(timeout);
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(request.head),
                                                  asio::buffer(request.body)};
  boost::system::error_code ec;
  if (tls_) {
    auto [wec, n] = co_await asio::async_write(*tls_, buffers, kTuple);
    ec = wec;
  } else {
    auto [wec, n] = co_await asio::async_write(plain_->socket(), buffers, kTuple);
    ec = wec;
  }
  co_return Finished(ec);
}

asio::awaitable<boost::system::error_code> UpstreamConnection::ReadHeader(ResponseParser& parser,
                                                                          Millis timeout) {
  watch_->Arm(timeout);
  boost::system::error_code ec;
  if (tls_) {
    auto [rec, n] = co_await beast::http::async_read_header(*tls_, buffer_, parser, kTuple);
    ec = rec;
  } else {
    auto [rec, n] =
        co_await beast::http::async_read_header(plain_->socket(), buffer_, parser, kTuple);
    ec = rec;
  }
  co_return Finished(ec);
}

asio::awaitable<boost::system::error_code> UpstreamConnection::Fill(Millis timeout) {
  watch_->Arm(timeout);
  boost::system::error_code ec;
  if (tls_) {
    const auto space = buffer_.prepare(beast::read_size(buffer_, kReadSize));
    auto [rec, got] = co_await tls_->async_read_some(space, kTuple);
    buffer_.commit(got);
    co_return Finished(rec);
  }
  // Plain TCP: what has arrived is read at once; otherwise the socket is waited on with no
  // read buffer held, and read when it is readable. An open stream spends most of its life
  // waiting for the lane's next event: 10,000 of them would hold 40 MB of buffers. What is
  // left unparsed while waiting is a few bytes (a chunk's CRLF, whose parse waits for the
  // next chunk's size line), so the buffer shrinks to them.
  auto& socket = plain_->socket();
  while (!TryRead(ec)) {
    if (buffer_.size() <= kKeptWhileWaiting) buffer_.shrink_to_fit();
    auto [wec] = co_await socket.async_wait(asio::ip::tcp::socket::wait_read, kTuple);
    if (wec) {
      ec = wec;
      break;
    }
  }
  co_return Finished(ec);
}

bool UpstreamConnection::TryRead(boost::system::error_code& ec) {
  // As much as the buffer has room for, at least kInitialBufferSize (a buffer given back
  // while waiting is allocated again here), at most kReadSize.
  const std::size_t room = buffer_.capacity() - buffer_.size();
  const auto space = buffer_.prepare(std::clamp(room, kInitialBufferSize, kReadSize));
  for (;;) {
    const ssize_t n =
        ::recv(plain_->socket().native_handle(), space.data(), space.size(), MSG_DONTWAIT);
    if (n > 0) {
      buffer_.commit(static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) {
      ec = asio::error::eof;
      return true;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
    ec = boost::system::error_code(errno, boost::system::system_category());
    return true;
  }
}

bool UpstreamConnection::ParkUnfinishedResponse(std::unique_ptr<ResponseParser> parser) {
  if (tls_ || !parser || !parser->is_header_done()) return false;
  unfinished_ = std::move(parser);
  return true;
}

bool UpstreamConnection::FinishUnfinishedResponse() {
  std::unique_ptr<ResponseParser> parser = std::move(unfinished_);
  parser->eager(true);
  // No room for body bytes: a response that still has body after its logical end is not
  // one whose connection we reuse.
  parser->get().body().data = nullptr;
  parser->get().body().size = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (buffer_.size() != 0) {
      boost::system::error_code ec;
      buffer_.consume(parser->put(buffer_.data(), ec));
      if (parser->is_done()) return buffer_.size() == 0 && parser->keep_alive();
      if (ec && ec != beast::http::error::need_more) return false;
    }
    if (attempt == 1) break;
    // What the peer has sent since (normally the few bytes of the last chunk), no waiting.
    const auto space = buffer_.prepare(kTailReadSize);
    const ssize_t n =
        ::recv(Tcp().socket().native_handle(), space.data(), space.size(), MSG_DONTWAIT);
    if (n <= 0) return false;
    buffer_.commit(static_cast<std::size_t>(n));
  }
  return false;
}

bool UpstreamConnection::LooksAlive() {
  auto& socket = Tcp().socket();
  if (!socket.is_open()) return false;
  if (unfinished_) return FinishUnfinishedResponse();
  if (buffer_.size() != 0) return false;  // unexpected bytes: do not reuse
  if (Clock::now() - idle_since_ < kFreshFor) return true;
  char probe;
  ssize_t n = ::recv(socket.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return false;  // orderly close by the peer
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  return !tls_ ? false : true;  // plain: stray bytes; TLS: may be a session ticket
}

void UpstreamConnection::Close() {
  boost::system::error_code ignored;
  Tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  Tcp().socket().close(ignored);
}

}  // namespace lanewise::http
