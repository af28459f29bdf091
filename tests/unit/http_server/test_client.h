// A blocking loopback HTTP client for the server tests: POSIX socket with a receive
// timeout (so a broken server fails a test instead of hanging it) and Beast's parser.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lanewise::http::testing {

using ClientResponse = boost::beast::http::response<boost::beast::http::string_body>;

class TestClient {
 public:
  explicit TestClient(std::uint16_t port, int timeout_ms = 5000) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~TestClient() { Close(); }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return connected_; }
  // errno of the last failed read (ECONNRESET, EAGAIN on timeout), 0 after EOF.
  int last_error() const { return last_error_; }
  std::string& pending() { return pending_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Appends what arrives to pending(); false on EOF or error (see last_error()).
  bool ReadMore() {
    char buffer[16384];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      pending_.append(buffer, static_cast<std::size_t>(n));
      return true;
    }
    last_error_ = n == 0 ? 0 : errno;
    return false;
  }

  // Reads until `needle` is in pending(); false if the stream ends or times out first.
  bool ReadUntil(std::string_view needle) {
    while (pending_.find(needle) == std::string::npos) {
      if (!ReadMore()) return false;
    }
    return true;
  }

  // True if the peer closed (EOF) with nothing more to read.
  bool ReadsEof() { return pending_.empty() && !ReadMore() && last_error_ == 0; }

  std::optional<ClientResponse> ReadResponse() {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.eager(true);
    while (!parser.is_done()) {
      boost::beast::error_code ec;
      const std::size_t used = parser.put(boost::asio::buffer(pending_), ec);
      pending_.erase(0, used);
      if (ec == boost::beast::http::error::need_more || (!ec && used == 0)) {
        if (!ReadMore()) return std::nullopt;
        continue;
      }
      if (ec) return std::nullopt;
    }
    return parser.release();
  }

  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  int last_error_ = 0;
  std::string pending_;
};

inline std::string Get(std::string_view target, std::string_view extra_headers = {}) {
  std::string out = "GET ";
  out += target;
  out += " HTTP/1.1\r\nHost: test\r\n";
  out += extra_headers;
  out += "\r\n";
  return out;
}

inline std::string Post(std::string_view target, std::string_view body) {
  std::string out = "POST ";
  out += target;
  out += " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += "\r\n\r\n";
  out += body;
  return out;
}

}  // namespace lanewise::http::testing
