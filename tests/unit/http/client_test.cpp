// http::Client against a scripted upstream that writes raw bytes (with pauses), so that
// the tests control exactly how the response arrives on the wire.
#include "http/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace lanewise::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

struct Write {
  std::chrono::milliseconds pause;  // before these bytes
  std::string bytes;
};
using Script = std::vector<Write>;

std::string Chunk(std::string_view data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size) + std::string(data) + "\r\n";
}

const std::string kSseHeader =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

// Answers every request on every connection with the same script; counts connections.
class ScriptedUpstream {
 public:
  // `close_after_each`: the connection closes after each response although the response
  // does not say so (a keep-alive connection the peer dropped while it sat idle).
  explicit ScriptedUpstream(Script script, bool close_after_each = false)
      : script_(std::move(script)),
        close_after_each_(close_after_each),
        acceptor_(ctx_, tcp::endpoint(tcp::v4(), 0)) {
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ctx_, Accept(), asio::detached);
    thread_ = std::thread([this] { ctx_.run(); });
  }
  ~ScriptedUpstream() {
    ctx_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kAwait);
      if (ec) co_return;
      connections_.fetch_add(1);
      asio::co_spawn(ctx_, Serve(std::move(socket)), asio::detached);
    }
  }
  asio::awaitable<void> Serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    asio::steady_timer pause(co_await asio::this_coro::executor);
    for (;;) {
      boost::beast::http::request<boost::beast::http::string_body> request;
      auto [rec, rn] = co_await boost::beast::http::async_read(socket, buffer, request, kAwait);
      if (rec) co_return;
      for (const Write& write : script_) {
        if (write.pause.count() > 0) {
          pause.expires_after(write.pause);
          co_await pause.async_wait(kAwait);
        }
        auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(write.bytes), kAwait);
        if (wec) co_return;
      }
      if (close_after_each_) {
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
        co_return;
      }
    }
  }

  Script script_;
  bool close_after_each_ = false;
  asio::io_context ctx_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

ClientRequest ChatRequest() {
  ClientRequest request;
  request.target = "/v1/chat/completions";
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = R"({"stream":true})";
  return request;
}

// Runs `body` as a coroutine on a fresh io_context until it finishes.
void RunCoroutine(std::function<asio::awaitable<void>()> body) {
  asio::io_context ctx;
  bool finished = false;
  auto task = [&]() -> asio::awaitable<void> {
    co_await body();
    finished = true;
  };
  asio::co_spawn(ctx, task(), asio::detached);
  ctx.run_for(5s);
  ASSERT_TRUE(finished) << "the test coroutine did not finish";
  Client::DropThreadPools();
}

asio::awaitable<void> Sleep(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(kAwait);
}

TEST(ClientTest, ReadSomeReturnsEveryChunkAlreadyReceivedAtOnce) {
  // Three chunks in one write: they are handed out together, not one per call.
  ScriptedUpstream upstream(
      {{0ms, kSseHeader + Chunk("data: 1\n\n") + Chunk("data: 2\n\n") + Chunk("data: 3\n\n")},
       {50ms, Chunk("data: 4\n\n") + "0\r\n\r\n"}});
  Client client(UpstreamTarget{"127.0.0.1", upstream.port()});
  RunCoroutine([&]() -> asio::awaitable<void> {
    auto started = co_await client.Start(ChatRequest(), ClientDeadlines{}, nullptr);
    EXPECT_TRUE(started.ok()) << started.status().message();
    if (!started.ok()) co_return;
    auto& exchange = *started.value();
    auto first = co_await exchange.ReadSome();
    EXPECT_TRUE(first.ok());
    EXPECT_EQ(*first, "data: 1\n\ndata: 2\n\ndata: 3\n\n");
    auto second = co_await exchange.ReadSome();
    EXPECT_EQ(*second, "data: 4\n\n");
    auto end = co_await exchange.ReadSome();
    EXPECT_TRUE(end.ok());
    EXPECT_EQ(*end, "");
    EXPECT_TRUE(exchange.done());
  });
}

TEST(ClientTest, AStreamWaitingForItsNextEventHoldsNoReadBuffer) {
  // An open stream spends most of its life waiting for the lane's next event: its read
  // buffer (4 KB and more) is given back meanwhile, and taken again when bytes arrive.
  ScriptedUpstream upstream(
      {{0ms, kSseHeader + Chunk("data: 1\n\n")}, {300ms, Chunk("data: 2\n\n") + "0\r\n\r\n"}});
  Client client(UpstreamTarget{"127.0.0.1", upstream.port()});
  RunCoroutine([&]() -> asio::awaitable<void> {
    auto started = co_await client.Start(ChatRequest(), ClientDeadlines{}, nullptr);
    EXPECT_TRUE(started.ok()) << started.status().message();
    if (!started.ok()) co_return;
    auto& exchange = *started.value();
    auto first = co_await exchange.ReadSome();
    EXPECT_EQ(*first, "data: 1\n\n");
    std::size_t held_while_waiting = 0;
    bool looked = false;
    auto look = [&]() -> asio::awaitable<void> {
      co_await Sleep(100ms);
      held_while_waiting = exchange.read_buffer_capacity();
      looked = true;
    };
    asio::co_spawn(co_await asio::this_coro::executor, look(), asio::detached);
    auto second = co_await exchange.ReadSome();
    EXPECT_TRUE(second.ok());
    EXPECT_EQ(*second, "data: 2\n\n");
    EXPECT_TRUE(looked);
    // At most the chunk's CRLF, whose parse waits for the next chunk's size line.
    EXPECT_LE(held_while_waiting, 256u);
    auto end = co_await exchange.ReadSome();
    EXPECT_TRUE(end.ok());
    EXPECT_TRUE(exchange.done());
  });
}

TEST(ClientTest, AConnectionWhoseCallerStoppedAtTheLogicalEndIsReusedOnceTheLastChunkArrives) {
  // The upstream sends [DONE] and only later the body's last chunk.
  ScriptedUpstream upstream(
      {{0ms, kSseHeader + Chunk("data: {}\n\n") + Chunk("data: [DONE]\n\n")}, {20ms, "0\r\n\r\n"}});
  Client client(UpstreamTarget{"127.0.0.1", upstream.port()});
  RunCoroutine([&]() -> asio::awaitable<void> {
    for (int round = 0; round < 3; ++round) {
      auto started = co_await client.Start(ChatRequest(), ClientDeadlines{}, nullptr);
      EXPECT_TRUE(started.ok()) << started.status().message();
      if (!started.ok()) co_return;
      std::string body;
      while (body.find("[DONE]") == std::string::npos) {
        auto piece = co_await started.value()->ReadSome();
        EXPECT_TRUE(piece.ok());
        if (!piece.ok() || piece->empty()) co_return;
        body += *piece;
      }
      EXPECT_FALSE(started.value()->done());
      started.value()->EndReached();
      started.value().reset();
      co_await Sleep(60ms);  // the last chunk arrives meanwhile
    }
  });
  EXPECT_EQ(upstream.connections(), 1);
}

TEST(ClientTest, MoreBodyAfterTheLogicalEndMeansTheConnectionIsNotReused) {
  ScriptedUpstream upstream({{0ms, kSseHeader + Chunk("data: [DONE]\n\n")},
                             {10ms, Chunk("data: late\n\n") + "0\r\n\r\n"}});
  Client client(UpstreamTarget{"127.0.0.1", upstream.port()});
  RunCoroutine([&]() -> asio::awaitable<void> {
    for (int round = 0; round < 2; ++round) {
      auto started = co_await client.Start(ChatRequest(), ClientDeadlines{}, nullptr);
      EXPECT_TRUE(started.ok()) << started.status().message();
      if (!started.ok()) co_return;
      auto piece = co_await started.value()->ReadSome();
      EXPECT_TRUE(piece.ok());
      started.value()->EndReached();
      started.value().reset();
      co_await Sleep(50ms);
    }
  });
  EXPECT_EQ(upstream.connections(), 2);
}

TEST(ClientTest, ABodyThatStallsHitsTheIdleDeadline) {
  ScriptedUpstream upstream({{0ms, kSseHeader + Chunk("data: 1\n\n")}, {5000ms, "0\r\n\r\n"}});
  Client client(UpstreamTarget{"127.0.0.1", upstream.port()});
  RunCoroutine([&]() -> asio::awaitable<void> {
    ClientDeadlines deadlines;
    deadlines.idle = 100ms;
    auto started = co_await client.Start(ChatRequest(), deadlines, nullptr);
    EXPECT_TRUE(started.ok()) << started.status().message();
    if (!started.ok()) co_return;
    auto first = co_await started.value()->ReadSome();
    EXPECT_TRUE(first.ok());
    const auto before = std::chrono::steady_clock::now();
    auto stalled = co_await started.value()->ReadSome();
    const auto waited = std::chrono::steady_clock::now() - before;
    EXPECT_FALSE(stalled.ok());
    EXPECT_EQ(stalled.status().reason(), "idle_timeout");
    EXPECT_GE(waited, 90ms);
    EXPECT_LT(waited, 2s);
  });
}

TEST(ClientTest, ASlowFirstByteHitsTheFirstByteDeadline) {
  ScriptedUpstream upstream({{3000ms, kSseHeader}});
  Client client(UpstreamTarget{"127.0.0.1", upstream.port()});
  RunCoroutine([&]() -> asio::awaitable<void> {
    ClientDeadlines deadlines;
    deadlines.first_byte = 100ms;
    auto started = co_await client.Start(ChatRequest(), deadlines, nullptr);
    EXPECT_FALSE(started.ok());
    EXPECT_EQ(started.status().reason(), "first_byte_timeout");
  });
}

}  // namespace
}  // namespace lanewise::http

namespace lanewise::http {
namespace {

TEST(ClientTest, AnIdleConnectionThePeerClosedIsReplacedWithoutFailingTheRequest) {
  // Reused at once (no probe for a connection idle so briefly): the first read on it fails
  // and the request goes out again on a new connection.
  ScriptedUpstream upstream(
      {{0ms, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"}},
      /*close_after_each=*/true);
  UpstreamTarget target{"127.0.0.1", upstream.port()};
  Client client(target);
  RunCoroutine([&]() -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      auto started = co_await client.Start(ChatRequest(), ClientDeadlines{}, nullptr);
      EXPECT_TRUE(started.ok()) << started.status().message();
      if (!started.ok()) co_return;
      auto body = co_await started.value()->ReadAll(1 << 20);
      EXPECT_TRUE(body.ok());
      if (body.ok()) {
        EXPECT_EQ(*body, "{}");
      }
      co_await Sleep(20ms);  // the peer's close has arrived before the next request
    }
  });
  EXPECT_EQ(upstream.connections(), 3);
}

TEST(RequestHeadTest, RequestLineHostFieldsAndLength) {
  ClientRequest request;
  request.method = "POST";
  request.target = "/v1/chat/completions";
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("X-Request-Id", "id\r\nEvil: yes");
  request.body = "{}";
  const std::string head = RequestHead(request, "127.0.0.1:8080");
  EXPECT_EQ(head,
            "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            "Content-Type: application/json\r\nX-Request-Id: id  Evil: yes\r\n"
            "Content-Length: 2\r\n\r\n");
  ClientRequest get;
  get.method = "GET";
  get.target = "/v1/models";
  EXPECT_EQ(RequestHead(get, "h"), "GET /v1/models HTTP/1.1\r\nHost: h\r\n\r\n");
}

}  // namespace
}  // namespace lanewise::http
