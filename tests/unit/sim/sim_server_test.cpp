// The simulator over real loopback sockets: wire bytes, faults, pacing, recording, and the
// lanewise-sim binary's start-up line and SIGTERM exit.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "http/server.h"
#include "tests/unit/http_server/test_client.h"
#include "tests/unit/sim/capture.h"
#include "tools/sim/simulator.h"

namespace lanewise::sim {
namespace {

using namespace std::chrono_literals;
using http::testing::TestClient;
using Clock = std::chrono::steady_clock;

class RunningSim {
 public:
  explicit RunningSim(SimulatorOptions options = {})
      : simulator_(std::move(options)), server_({}, simulator_.MakeHandler()) {
    server_.Listen();
    thread_ = std::thread([this] { server_.Run(); });
  }
  ~RunningSim() {
    server_.Stop();
    thread_.join();
  }
  std::uint16_t port() const { return server_.port(); }
  Simulator& simulator() { return simulator_; }

 private:
  Simulator simulator_;
  http::Server server_;
  std::thread thread_;
};

std::string Chat(const std::string& extra) {
  return http::testing::Post(
      "/v1/chat/completions",
      R"({"model":"tiny","messages":[{"role":"user","content":"hi"}])" + extra + "}");
}

// Reads until the peer closes or resets; returns everything received.
std::string ReadAll(TestClient& client) {
  while (client.ReadMore()) {
  }
  return client.pending();
}

TEST(SimServer, NonStreamAndStreamOverTheWire) {
  RunningSim sim;
  TestClient client(sim.port());
  ASSERT_TRUE(client.Send(Chat(R"(,"max_tokens":3)")));
  auto plain = client.ReadResponse();
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->result_int(), 200);
  EXPECT_EQ((*plain)["Server"], "llama.cpp");
  EXPECT_EQ((*plain)[boost::beast::http::field::content_type], "application/json; charset=utf-8");
  const auto body = boost::json::parse(plain->body());
  EXPECT_EQ(body.at("usage").at("completion_tokens"), 3);

  // Same connection (keep-alive), now streamed: the raw header block matches the capture's.
  ASSERT_TRUE(client.Send(Chat(R"(,"max_tokens":3,"stream":true)")));
  ASSERT_TRUE(client.ReadUntil("0\r\n\r\n"));
  const auto ours = testing::ParseHttp(client.pending());
  const auto capture = testing::LoadCapture("11_chat_stream.http");
  auto sorted = [](std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    return names;
  };
  EXPECT_EQ(sorted(ours.header_names), sorted(capture.header_names));
  EXPECT_NE(client.pending().find("data: [DONE]\n\n\r\n0\r\n\r\n"), std::string::npos);
}

TEST(SimServer, ResetBeforeFirstByte) {
  RunningSim sim;
  TestClient client(sim.port());
  ASSERT_TRUE(client.Send(Chat(R"(,"stream":true,"sim":{"fault":"reset_before_first_byte"})")));
  EXPECT_TRUE(ReadAll(client).empty());
  EXPECT_EQ(client.last_error(), ECONNRESET);
}

TEST(SimServer, ResetAfterFirstByte) {
  RunningSim sim;
  TestClient client(sim.port());
  ASSERT_TRUE(client.Send(
      Chat(R"(,"stream":true,"sim":{"fault":"reset_after_first_byte","after_chunks":2})")));
  const std::string received = ReadAll(client);
  EXPECT_EQ(client.last_error(), ECONNRESET);
  EXPECT_EQ(received.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_EQ(testing::SseData(testing::ParseHttp(received).body).size(), 2u);
}

TEST(SimServer, StallBeforeTheFirstByteThenAnswers) {
  RunningSim sim;
  TestClient client(sim.port());
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send(Chat(R"(,"stream":true,"sim":{"fault":"stall","stall_ms":300})")));
  ASSERT_TRUE(client.ReadMore());
  EXPECT_GE(Clock::now() - start, 290ms);
  ASSERT_TRUE(client.ReadUntil("data: [DONE]"));
}

TEST(SimServer, StallMidStream) {
  RunningSim sim;
  TestClient client(sim.port());
  ASSERT_TRUE(client.Send(
      Chat(R"(,"stream":true,"sim":{"fault":"stall","stall_ms":300,"stall_after_chunks":2})")));
  auto frames_seen = [&] { return testing::SseData(client.pending()).size(); };
  // The first two frames come at once; the third only after the stall.
  while (frames_seen() < 2) ASSERT_TRUE(client.ReadMore());
  const auto after_two = Clock::now();
  while (frames_seen() < 3) ASSERT_TRUE(client.ReadMore());
  EXPECT_GE(Clock::now() - after_two, 250ms);
  ASSERT_TRUE(client.ReadUntil("data: [DONE]"));
}

TEST(SimServer, TruncateEndsTheChunkedBodyCleanly) {
  RunningSim sim;
  TestClient client(sim.port());
  ASSERT_TRUE(client.Send(Chat(R"(,"stream":true,"sim":{"fault":"truncate","after_chunks":3})")));
  auto response = client.ReadResponse();  // a complete chunked message
  ASSERT_TRUE(response.has_value());
  const auto frames = testing::SseData(response->body());
  EXPECT_EQ(frames.size(), 3u);
  EXPECT_EQ(response->body().find("[DONE]"), std::string::npos);
  EXPECT_EQ(response->body().find("finish_reason\":\"length"), std::string::npos);
  EXPECT_EQ(response->body().find("finish_reason\":\"stop"), std::string::npos);
}

TEST(SimServer, StatusFaultIsPlainJsonAndClosesTheConnection) {
  RunningSim sim;
  TestClient client(sim.port());
  ASSERT_TRUE(client.Send(Chat(R"(,"stream":true,"sim":{"fault":"status","status":429})")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 429);
  EXPECT_EQ(testing::Shape(response->body()), "{error:{code:int,message:string,type:string}}");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.ReadsEof());
}

TEST(SimServer, TokensArePacedAndTtftHonoured) {
  RunningSim sim;
  TestClient client(sim.port());
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send(
      Chat(R"(,"stream":true,"sim":{"tokens":10,"ttft_ms":50,"tokens_per_second":100})")));
  ASSERT_TRUE(client.ReadUntil("data: {"));
  EXPECT_GE(Clock::now() - start, 45ms);
  ASSERT_TRUE(client.ReadUntil("data: [DONE]"));
  EXPECT_GE(Clock::now() - start, 140ms);  // 50 ms + 10 tokens at 10 ms
}

TEST(SimServer, RecordsRequestsAndServesDebugEndpoints) {
  RunningSim sim;
  TestClient client(sim.port());
  const std::string body = R"({"messages":[{"role":"user","content":"héllo"}],  "max_tokens":1})";
  ASSERT_TRUE(
      client.Send("POST /v1/chat/completions HTTP/1.1\r\nHost: sim\r\nX-Trace: abc\r\n"
                  "Content-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body));
  ASSERT_TRUE(client.ReadResponse().has_value());
  ASSERT_TRUE(client.Send(http::testing::Get("/v1/nope")));
  auto not_found = client.ReadResponse();
  ASSERT_TRUE(not_found.has_value());
  EXPECT_EQ(not_found->result_int(), 404);

  TestClient debug(sim.port());
  ASSERT_TRUE(debug.Send(http::testing::Get("/__sim/requests")));
  auto listed = debug.ReadResponse();
  ASSERT_TRUE(listed.has_value());
  const auto requests = boost::json::parse(listed->body()).as_array();
  ASSERT_EQ(requests.size(), 2u);  // debug requests are not recorded
  EXPECT_EQ(requests[0].at("seq"), 1);
  EXPECT_EQ(requests[0].at("method"), "POST");
  EXPECT_EQ(requests[0].at("path"), "/v1/chat/completions");
  EXPECT_EQ(std::string(requests[0].at("body").as_string()), body);  // raw, spacing kept
  EXPECT_EQ(requests[0].at("headers").at("X-Trace"), "abc");
  EXPECT_EQ(requests[1].at("path"), "/v1/nope");

  ASSERT_TRUE(debug.Send(http::testing::Get("/__sim/stats")));
  const auto stats = boost::json::parse(debug.ReadResponse()->body());
  EXPECT_EQ(stats.at("requests"), 2);
  EXPECT_EQ(stats.at("chat_completions"), 1);
  EXPECT_EQ(stats.at("active"), 0);

  ASSERT_TRUE(debug.Send("DELETE /__sim/requests HTTP/1.1\r\nHost: s\r\n\r\n"));
  ASSERT_TRUE(debug.ReadResponse().has_value());
  ASSERT_TRUE(debug.Send(http::testing::Get("/__sim/requests")));
  EXPECT_EQ(debug.ReadResponse()->body(), "[]");
}

TEST(SimServer, ConfigEndpointChangesTheDefaults) {
  RunningSim sim;
  TestClient client(sim.port());
  ASSERT_TRUE(
      client.Send(http::testing::Post("/__sim/config", R"({"fault":"status","status":503})")));
  auto set = client.ReadResponse();
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->result_int(), 200);
  EXPECT_EQ(boost::json::parse(set->body()).at("fault"), "status");

  TestClient chat(sim.port());
  ASSERT_TRUE(chat.Send(Chat("")));
  EXPECT_EQ(chat.ReadResponse()->result_int(), 503);

  TestClient bad(sim.port());
  ASSERT_TRUE(bad.Send(http::testing::Post("/__sim/config", R"({"faults":"none"})")));
  EXPECT_EQ(bad.ReadResponse()->result_int(), 400);
  EXPECT_EQ(sim.simulator().settings().fault, Fault::kStatus);

  // A request's own sim object wins over the defaults.
  TestClient steered(sim.port());
  ASSERT_TRUE(steered.Send(Chat(R"(,"sim":{"fault":"none","mode":"reply","reply":"ok!"})")));
  auto ok = steered.ReadResponse();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(boost::json::parse(ok->body()).at("choices").at(0).at("message").at("content"), "ok!");
}

TEST(SimServer, OpenAiFlavourStreamsOverTheWire) {
  SimulatorOptions options;
  options.flavor = Flavor::kOpenAi;
  options.model_alias = "gpt-4o-mini";
  RunningSim sim(options);
  TestClient client(sim.port());
  ASSERT_TRUE(client.Send(Chat(R"(,"stream":true,"max_tokens":2)")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ((*response)[boost::beast::http::field::content_type],
            "text/event-stream; charset=utf-8");
  const auto frames = testing::SseData(response->body());
  ASSERT_EQ(frames.size(), 5u);
  EXPECT_EQ(boost::json::parse(frames[0]).at("model"), "tiny");  // echoes the request
}

struct SimProcess {
  pid_t pid = -1;
  std::uint16_t port = 0;
  std::string line;
};

// Starts the lanewise-sim binary and reads its one-line start-up event.
SimProcess StartSimBinary() {
  SimProcess process;
  int out_pipe[2];
  if (pipe(out_pipe) != 0) return process;
  process.pid = fork();
  if (process.pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    close(out_pipe[0]);
    execl(LANEWISE_SIM_BINARY, LANEWISE_SIM_BINARY, "--port", "0", "--flavor", "llama",
          "--model-alias", "tiny-random-llama", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out_pipe[1]);
  FILE* out = fdopen(out_pipe[0], "r");
  char line[256] = {};
  if (fgets(line, sizeof line, out) != nullptr) {
    process.line = line;
    boost::system::error_code ec;
    const auto event = boost::json::parse(process.line, ec);
    if (!ec) process.port = static_cast<std::uint16_t>(event.at("port").as_int64());
  }
  fclose(out);
  return process;
}

// Waits (bounded) for the process to exit; returns its wait status, or -1 if it had to be killed.
int WaitForExit(pid_t pid) {
  int status = 0;
  const auto deadline = Clock::now() + 10s;
  while (Clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(5ms);
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

// The binary: prints one JSON line with the port, serves, exits 0 on SIGTERM.
TEST(SimBinary, PrintsItsPortAndExitsCleanlyOnSigterm) {
  const SimProcess sim = StartSimBinary();
  ASSERT_GT(sim.pid, 0);
  const auto event = boost::json::parse(sim.line);
  EXPECT_EQ(event.at("event"), "listening");
  EXPECT_EQ(event.at("host"), "127.0.0.1");
  EXPECT_EQ(sim.line.back(), '\n');
  ASSERT_NE(sim.port, 0);

  TestClient client(sim.port);
  ASSERT_TRUE(client.Send(http::testing::Get("/health")));
  auto health = client.ReadResponse();
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->body(), R"({"status":"ok"})");
  client.Close();

  kill(sim.pid, SIGTERM);
  const int status = WaitForExit(sim.pid);
  ASSERT_NE(status, -1) << "lanewise-sim did not exit after SIGTERM";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SimBinary, ExitsCleanlyOnSigintRightAfterStarting) {
  const SimProcess sim = StartSimBinary();
  ASSERT_GT(sim.pid, 0);
  ASSERT_NE(sim.port, 0);
  kill(sim.pid, SIGINT);
  const int status = WaitForExit(sim.pid);
  ASSERT_NE(status, -1);
  EXPECT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace lanewise::sim
