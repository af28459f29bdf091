#include "http/upstream_connection.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace lanewise::http {
namespace {

namespace asio = boost::asio;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

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
  asio::ip::tcp::resolver resolver(executor);
  auto [rec, endpoints] =
      co_await resolver.async_resolve(target.host, std::to_string(target.port), kTuple);
  if (rec) co_return ConnectError(target, rec);

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
  co_return conn;
}

beast::tcp_stream& UpstreamConnection::Tcp() {
  return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

asio::awaitable<boost::system::error_code> UpstreamConnection::Write(OutgoingRequest& request,
                                                                     Millis timeout) {
  Tcp().expires_after(timeout);
  boost::system::error_code ec;
  if (tls_) {
    auto [wec, n] = co_await beast::http::async_write(*tls_, request, kTuple);
    ec = wec;
  } else {
    auto [wec, n] = co_await beast::http::async_write(*plain_, request, kTuple);
    ec = wec;
  }
  co_return ec;
}

asio::awaitable<boost::system::error_code> UpstreamConnection::ReadHeader(ResponseParser& parser,
                                                                          Millis timeout) {
  Tcp().expires_after(timeout);
  boost::system::error_code ec;
  if (tls_) {
    auto [rec, n] = co_await beast::http::async_read_header(*tls_, buffer_, parser, kTuple);
    ec = rec;
  } else {
    auto [rec, n] = co_await beast::http::async_read_header(*plain_, buffer_, parser, kTuple);
    ec = rec;
  }
  co_return ec;
}

asio::awaitable<boost::system::error_code> UpstreamConnection::ReadSome(ResponseParser& parser,
                                                                        Millis timeout) {
  Tcp().expires_after(timeout);
  boost::system::error_code ec;
  if (tls_) {
    auto [rec, n] = co_await beast::http::async_read_some(*tls_, buffer_, parser, kTuple);
    ec = rec;
  } else {
    auto [rec, n] = co_await beast::http::async_read_some(*plain_, buffer_, parser, kTuple);
    ec = rec;
  }
  if (ec == beast::http::error::need_buffer) ec = {};
  co_return ec;
}

bool UpstreamConnection::LooksAlive() {
  auto& socket = Tcp().socket();
  if (!socket.is_open()) return false;
  if (buffer_.size() != 0) return false;  // unexpected bytes: do not reuse
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
