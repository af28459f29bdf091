#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/http_server/test_client.h"

namespace lanewise::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::TestClient;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// Runs a server on a free loopback port in a background thread.
class RunningServer {
 public:
  explicit RunningServer(Handler handler, Server::Options options = {})
      : server_(std::move(options), std::move(handler)) {
    server_.Listen();
    thread_ = std::thread([this] {
      server_.Run();
      run_returned_.store(true);
    });
  }
  ~RunningServer() {
    server_.Stop();
    thread_.join();
  }
  Server& server() { return server_; }
  std::uint16_t port() const { return server_.port(); }
  // Waits (bounded) for Run() to return.
  bool WaitForRunToReturn(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!run_returned_.load() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(2ms);
    }
    return run_returned_.load();
  }

 private:
  Server server_;
  std::thread thread_;
  std::atomic<bool> run_returned_{false};
};

// Sleeps inside a handler without blocking the I/O thread.
asio::awaitable<void> Pause(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(duration);
  co_await timer.async_wait(kAwait);
}

// Waits inside a handler until `flag` is set or `limit` passes; returns the flag.
asio::awaitable<bool> WaitFor(const std::atomic<bool>& flag, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!flag.load() && std::chrono::steady_clock::now() < deadline) co_await Pause(1ms);
  co_return flag.load();
}

bool SpinUntil(const std::atomic<bool>& flag, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!flag.load() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  return flag.load();
}

Response TextResponse(std::string body) {
  Response response{beast_http::status::ok, 11};
  response.set(beast_http::field::content_type, "text/plain");
  response.body() = std::move(body);
  return response;
}

TEST(HttpServer, KeepAliveServesTwoRequestsOnOneConnection) {
  std::atomic<int> calls{0};
  std::atomic<bool> had_context{true};
  std::atomic<bool> saw_client_gone{false};
  RunningServer running([&](Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
    ++calls;
    if (Server::CurrentIoContext() == nullptr) had_context = false;
    if (writer.ClientGone()) saw_client_gone = true;
    auto status = co_await writer.Send(TextResponse(std::string(request.target())));
    EXPECT_TRUE(status.ok()) << status.ToString();
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(testing::Get("/first")));
  auto first = client.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->result_int(), 200);
  EXPECT_EQ(first->body(), "/first");
  EXPECT_TRUE(first->keep_alive());
  EXPECT_EQ((*first)[beast_http::field::content_length], "6");

  ASSERT_TRUE(client.Send(testing::Get("/second")));
  auto second = client.ReadResponse();
  ASSERT_TRUE(second.has_value()) << "the server closed the keep-alive connection";
  EXPECT_EQ(second->body(), "/second");
  EXPECT_EQ(calls.load(), 2);
  EXPECT_TRUE(had_context.load());
  EXPECT_FALSE(saw_client_gone.load());
}

TEST(HttpServer, Http10KeepAliveClientGetsAKeepAliveAnswer) {
  RunningServer running([](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    co_await writer.Send(TextResponse("ok"));
  });
  TestClient client(running.port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << "request " << i;
    EXPECT_EQ(response->version(), 10u);
    EXPECT_EQ((*response)[beast_http::field::connection], "keep-alive");
  }
  ASSERT_TRUE(client.Send("GET / HTTP/1.0\r\n\r\n"));  // no keep-alive: closed after
  ASSERT_TRUE(client.ReadResponse().has_value());
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer running([](Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
    co_await Pause(20ms);  // the second request is already buffered while this one runs
    co_await writer.Send(TextResponse(std::string(request.target())));
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/a") + testing::Get("/b")));
  auto a = client.ReadResponse();
  auto b = client.ReadResponse();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body(), "/a");
  EXPECT_EQ(b->body(), "/b");
}

TEST(HttpServer, OversizedBodyGets413AndTheConnectionCloses) {
  std::atomic<int> calls{0};
  Server::Options options;
  options.max_body_bytes = 1000;
  RunningServer running(
      [&](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
        ++calls;
        co_await writer.Send(TextResponse("ok"));
      },
      options);
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Post("/v1/chat/completions", std::string(5000, 'x'))));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 413);
  EXPECT_EQ(response->body(), R"({"error":{"message":"request body exceeds 1000 bytes",)"
                              R"("type":"invalid_request_error","param":null,)"
                              R"("code":"body_too_large"}})");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_FALSE((*response)["x-request-id"].empty());
  EXPECT_TRUE(client.ReadsEof());
  EXPECT_EQ(calls.load(), 0);

  // A body within the limit is still served on a new connection.
  TestClient small(running.port());
  ASSERT_TRUE(small.Send(testing::Post("/", std::string(1000, 'x'))));
  auto ok = small.ReadResponse();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->result_int(), 200);
}

// Regression: the 413 used to be swallowed on a reused keep-alive connection, because
// the writer's state still described the previous (answered) request.
TEST(HttpServer, OversizedBodyOnAReusedConnectionStillGets413) {
  Server::Options options;
  options.max_body_bytes = 1000;
  RunningServer running(
      [](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
        co_await writer.Send(TextResponse("ok"));
      },
      options);
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Post("/", "small")));
  auto first = client.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->result_int(), 200);
  ASSERT_TRUE(client.Send(testing::Post("/", std::string(5000, 'x'))));
  auto second = client.ReadResponse();
  ASSERT_TRUE(second.has_value()) << "no answer to the oversized request";
  EXPECT_EQ(second->result_int(), 413);
}

TEST(HttpServer, OversizedChunkedRequestBodyGets413) {
  Server::Options options;
  options.max_body_bytes = 100;
  RunningServer running(
      [](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
        co_await writer.Send(TextResponse("ok"));
      },
      options);
  TestClient client(running.port());
  std::string request =
      "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "c8\r\n" +
      std::string(200, 'y') + "\r\n0\r\n\r\n";
  ASSERT_TRUE(client.Send(request));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 413);
}

TEST(HttpServer, MalformedRequestGets400Json) {
  RunningServer running([](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    co_await writer.Send(TextResponse("ok"));
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send("THIS IS NOT HTTP\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 400);
  EXPECT_NE(response->body().find(R"("type":"invalid_request_error")"), std::string::npos);
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServer, HandlerThatSendsNothingYields500) {
  RunningServer running([](Request&, ResponseWriter&) -> asio::awaitable<void> { co_return; });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 500);
  EXPECT_NE(response->body().find(R"("type":"server_error")"), std::string::npos);
}

TEST(HttpServer, ChunksReachTheClientOneByOne) {
  std::atomic<bool> client_saw_first{false};
  std::atomic<bool> handler_waited_ok{false};
  RunningServer running([&](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    ResponseHeader header;
    header.result(beast_http::status::ok);
    header.set(beast_http::field::content_type, "text/event-stream");
    core::Status status = co_await writer.StartChunked(std::move(header));
    EXPECT_TRUE(status.ok());
    EXPECT_TRUE(writer.Started());
    status = co_await writer.WriteChunk("data: one\n\n");
    EXPECT_TRUE(status.ok());
    status = co_await writer.WriteChunk("");  // ignored
    EXPECT_TRUE(status.ok());
    // The second chunk is written only once the client has seen the first.
    const bool waited = co_await WaitFor(client_saw_first, 5000ms);
    handler_waited_ok = waited;
    status = co_await writer.WriteChunk("data: two\n\n");
    EXPECT_TRUE(status.ok());
    status = co_await writer.Finish();
    EXPECT_TRUE(status.ok());
    status = co_await writer.WriteChunk("late");
    EXPECT_FALSE(status.ok());
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/stream")));
  ASSERT_TRUE(client.ReadUntil("data: one\n\n"));
  EXPECT_EQ(client.pending().find("data: two"), std::string::npos);
  EXPECT_NE(client.pending().find("Transfer-Encoding: chunked"), std::string::npos);
  client_saw_first = true;
  ASSERT_TRUE(client.ReadUntil("0\r\n\r\n"));
  EXPECT_TRUE(handler_waited_ok.load());
  const std::string& raw = client.pending();
  EXPECT_NE(raw.find("b\r\ndata: one\n\n\r\nb\r\ndata: two\n\n\r\n0\r\n\r\n"), std::string::npos)
      << raw;

  // The connection stays usable after a finished chunked response.
  client.pending().clear();
  client_saw_first = true;
  ASSERT_TRUE(client.Send(testing::Get("/again")));
  auto again = client.ReadResponse();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->body(), "data: one\n\ndata: two\n\n");
}

TEST(HttpServer, UnfinishedChunkedResponseClosesTheConnection) {
  RunningServer running([](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    ResponseHeader header;
    header.result(beast_http::status::ok);
    co_await writer.StartChunked(std::move(header));
    co_await writer.WriteChunk("partial");
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/")));
  ASSERT_TRUE(client.ReadUntil("partial\r\n"));
  client.pending().clear();
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServer, AbortResetsTheConnection) {
  RunningServer running([](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    writer.Abort();
    EXPECT_TRUE(writer.Started());
    const core::Status status = co_await writer.Send(TextResponse("too late"));
    EXPECT_FALSE(status.ok());
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/")));
  EXPECT_FALSE(client.ReadMore());
  EXPECT_EQ(client.last_error(), ECONNRESET);
  EXPECT_TRUE(client.pending().empty());
}

TEST(HttpServer, AbortAfterTheFirstChunkResetsMidStream) {
  RunningServer running([](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    ResponseHeader header;
    header.result(beast_http::status::ok);
    co_await writer.StartChunked(std::move(header));
    co_await writer.WriteChunk("first");
    co_await Pause(20ms);
    writer.Abort();
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/")));
  ASSERT_TRUE(client.ReadUntil("first\r\n"));
  while (client.ReadMore()) {
  }
  EXPECT_EQ(client.last_error(), ECONNRESET);
}

TEST(HttpServer, WriteRawBypassesFramingAndEndsTheConnection) {
  RunningServer running([](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    co_await writer.WriteRaw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body(), "hi");
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServer, OnClientGoneFiresWhenTheClientCloses) {
  std::atomic<bool> handler_started{false};
  std::atomic<bool> callback_ran{false};
  std::atomic<bool> gone_seen{false};
  std::atomic<bool> before_close_gone{true};
  RunningServer running([&](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    writer.OnClientGone([&] { callback_ran = true; });
    before_close_gone = writer.ClientGone();
    handler_started = true;
    co_await WaitFor(callback_ran, 5000ms);
    gone_seen = writer.ClientGone();
    // Writing to a departed client reports an error instead of crashing.
    auto status = co_await writer.Send(TextResponse("nobody listens"));
    (void)status;
  });
  {
    TestClient client(running.port());
    ASSERT_TRUE(client.Send(testing::Get("/slow")));
    ASSERT_TRUE(SpinUntil(handler_started, 5000ms));
    client.Close();
  }
  EXPECT_TRUE(SpinUntil(callback_ran, 5000ms));
  EXPECT_FALSE(before_close_gone.load());
  EXPECT_TRUE(SpinUntil(gone_seen, 5000ms));
}

TEST(HttpServer, PipelinedDataIsNotMistakenForAClose) {
  std::atomic<int> gone_calls{0};
  RunningServer running([&](Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
    writer.OnClientGone([&] { ++gone_calls; });
    if (request.target() == "/slow") co_await Pause(50ms);
    co_await writer.Send(TextResponse(std::string(request.target())));
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/slow")));
  std::this_thread::sleep_for(10ms);  // let the watcher start before the next bytes arrive
  ASSERT_TRUE(client.Send(testing::Get("/next")));
  auto first = client.ReadResponse();
  auto second = client.ReadResponse();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(second->body(), "/next");
  EXPECT_EQ(gone_calls.load(), 0);
}

TEST(HttpServer, DrainLetsAnInFlightRequestFinishThenRunReturns) {
  std::atomic<bool> handler_started{false};
  RunningServer running([&](Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
    if (request.target() == "/slow") {
      handler_started = true;
      co_await Pause(200ms);
    }
    co_await writer.Send(TextResponse("done"));
  });
  TestClient idle(running.port());  // a keep-alive connection with no request: closed by Drain
  ASSERT_TRUE(idle.Send(testing::Get("/quick")));
  ASSERT_TRUE(idle.ReadResponse().has_value());

  TestClient busy(running.port());
  ASSERT_TRUE(busy.Send(testing::Get("/slow")));
  ASSERT_TRUE(SpinUntil(handler_started, 5000ms));
  std::thread signal_thread([&] { running.server().Drain(5000ms); });
  signal_thread.join();

  auto response = busy.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body(), "done");
  EXPECT_FALSE(response->keep_alive());  // Connection: close while draining
  EXPECT_TRUE(idle.ReadsEof());
  EXPECT_TRUE(running.WaitForRunToReturn(5000ms));
  EXPECT_EQ(running.server().in_flight(), 0u);

  TestClient late(running.port());
  EXPECT_FALSE(late.connected() && late.Send(testing::Get("/")) && late.ReadResponse());
}

TEST(HttpServer, DrainGivesUpAfterTheGracePeriod) {
  std::atomic<bool> handler_started{false};
  RunningServer running([&](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
    handler_started = true;
    co_await Pause(30000ms);
    co_await writer.Send(TextResponse("never"));
  });
  TestClient client(running.port());
  ASSERT_TRUE(client.Send(testing::Get("/")));
  ASSERT_TRUE(SpinUntil(handler_started, 5000ms));
  const auto start = std::chrono::steady_clock::now();
  running.server().Drain(100ms);
  EXPECT_TRUE(running.WaitForRunToReturn(5000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3000ms);
  EXPECT_FALSE(client.ReadResponse().has_value());
}

TEST(HttpServer, ConnectionsAreSpreadOverIoThreads) {
  std::mutex mutex;
  std::set<asio::io_context*> contexts;
  Server::Options options;
  options.io_threads = 2;
  RunningServer running(
      [&](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
        {
          std::lock_guard lock(mutex);
          contexts.insert(Server::CurrentIoContext());
        }
        co_await writer.Send(TextResponse("ok"));
      },
      options);
  for (int i = 0; i < 2; ++i) {
    TestClient client(running.port());
    ASSERT_TRUE(client.Send(testing::Get("/")));
    ASSERT_TRUE(client.ReadResponse().has_value());
  }
  std::lock_guard lock(mutex);
  EXPECT_EQ(contexts.size(), 2u);
  EXPECT_EQ(contexts.count(nullptr), 0u);
}

TEST(HttpServer, ManyClientsOnTwoIoThreads) {
  Server::Options options;
  options.io_threads = 2;
  RunningServer running(
      [](Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
        if (request.target() == "/chunked") {
          ResponseHeader header;
          header.result(beast_http::status::ok);
          co_await writer.StartChunked(std::move(header));
          co_await writer.WriteChunk("a");
          co_await writer.WriteChunk(request.body());
          co_await writer.Finish();
        } else {
          co_await writer.Send(TextResponse(request.body()));
        }
      },
      options);
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      TestClient client(running.port());
      for (int i = 0; i < 20; ++i) {
        const std::string body = std::to_string(c) + "-" + std::to_string(i);
        const bool chunked = i % 2 == 0;
        std::string request = testing::Post(chunked ? "/chunked" : "/plain", body);
        if (!client.Send(request)) return;
        auto response = client.ReadResponse();
        if (!response) return;
        if (response->body() == (chunked ? "a" + body : body)) ++good;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(good.load(), 8 * 20);
}

TEST(HttpServer, SlowHeadersAndIdleConnectionsTimeOut) {
  Server::Options options;
  options.header_timeout = 100ms;
  options.keep_alive_idle = 150ms;
  RunningServer running(
      [](Request&, ResponseWriter& writer) -> asio::awaitable<void> {
        co_await writer.Send(TextResponse("ok"));
      },
      options);
  TestClient slow(running.port());
  ASSERT_TRUE(slow.Send("GET / HTTP/1.1\r\nHost: x\r\n"));  // never finished
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.ReadsEof());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 80ms);

  TestClient idle(running.port());
  ASSERT_TRUE(idle.Send(testing::Get("/")));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  start = std::chrono::steady_clock::now();
  EXPECT_TRUE(idle.ReadsEof());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 130ms);
}

TEST(HttpServer, ListenOnABusyPortThrows) {
  Server first({}, [](Request&, ResponseWriter&) -> asio::awaitable<void> { co_return; });
  first.Listen();
  Server::Options options;
  options.port = first.port();
  Server second(options, [](Request&, ResponseWriter&) -> asio::awaitable<void> { co_return; });
  EXPECT_THROW(second.Listen(), std::system_error);
}

}  // namespace
}  // namespace lanewise::http
