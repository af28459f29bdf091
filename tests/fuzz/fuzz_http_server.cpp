// libFuzzer target: the HTTP server's request reading, end to end. One server (the real
// http::Server, one I/O thread) runs for the whole process; every input is written to a
// fresh loopback connection, the write side is closed, and whatever the server answers is
// read until it closes. The handler answers like the gateway does: whole JSON responses,
// and a chunked one for /stream. A crash, a sanitizer report, or a connection the server
// never closes (a hang) is a finding.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/awaitable.hpp>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <thread>

#include "http/server.h"

namespace {

namespace asio = boost::asio;
using lanewise::http::Request;
using lanewise::http::ResponseWriter;

asio::awaitable<void> Handle(Request& request, ResponseWriter& writer) {
  if (request.target() == "/stream") {
    lanewise::http::ResponseHeader header;
    header.result(boost::beast::http::status::ok);
    header.set(boost::beast::http::field::content_type, "text/event-stream");
    co_await writer.StartChunked(std::move(header));
    co_await writer.WriteChunk("data: {}\n\n");
    co_await writer.FinishWith("data: [DONE]\n\n");
    co_return;
  }
  lanewise::http::Response response{boost::beast::http::status::ok, request.version()};
  response.set(boost::beast::http::field::content_type, "application/json");
  response.body() = "{\"bytes\":" + std::to_string(request.body().size()) + "}";
  response.keep_alive(request.keep_alive());
  co_await writer.Send(std::move(response));
}

struct Running {
  Running() {
    lanewise::http::Server::Options options;
    options.max_body_bytes = 4096;
    options.header_timeout = std::chrono::milliseconds(2000);
    options.keep_alive_idle = std::chrono::milliseconds(2000);
    options.on_rejected = [](const lanewise::http::RejectedRequest& rejected) {
      if (rejected.request_id.empty()) std::abort();
    };
    server = std::make_unique<lanewise::http::Server>(options, Handle);
    server->Listen();
    thread = std::thread([this] { server->Run(); });
  }
  std::unique_ptr<lanewise::http::Server> server;
  std::thread thread;
};

Running& Instance() {
  static Running* running = new Running();  // lives until exit: libFuzzer never returns
  return *running;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Running& running = Instance();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(running.server->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Tens of thousands of short connections: a port still in TIME_WAIT may be refused for a
  // moment (EADDRNOTAVAIL); that is the harness, not the server, so wait and retry.
  int fd = -1;
  for (int attempts = 0;; ++attempts) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
    const int error = errno;
    ::close(fd);
    if ((error != EADDRNOTAVAIL && error != EAGAIN) || attempts > 200) std::abort();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::size_t sent = 0;
  while (sent < size) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server closed early (an error answer): fine
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char sink[8192];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    if (std::chrono::steady_clock::now() > deadline) std::abort();  // never closed: a hang
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
    if (n <= 0) break;
  }
  // Close with a reset: no TIME_WAIT left behind to use up the loopback's ports.
  const linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(fd);
  return 0;
}
