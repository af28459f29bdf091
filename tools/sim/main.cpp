// lanewise-sim: the upstream simulator (llama-server or OpenAI wire format) used by the
// tests and benchmarks. See docs/simulator.md.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <thread>

#include "http/server.h"
#include "tools/sim/simulator.h"

namespace {

using lanewise::sim::Settings;

struct CommandLine {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string flavor = "llama";
  std::string model_alias = "tiny-random-llama";
  int threads = 1;
  std::size_t record_limit = 10000;
  std::size_t max_body_bytes = 64 << 20;
  std::string mode = "words";
  std::string fault = "none";
  Settings settings;
};

}  // namespace

int main(int argc, char** argv) {
  CommandLine cli;
  CLI::App app{"lanewise-sim: a simulated LLM upstream (llama-server or OpenAI wire format)"};
  app.add_option("--host", cli.host, "Address to listen on");
  app.add_option("--port", cli.port, "Port (0: any free port, printed on start)");
  app.add_option("--flavor", cli.flavor, "Wire format: llama | openai")
      ->check(CLI::IsMember({"llama", "openai"}));
  app.add_option("--model-alias", cli.model_alias, "Model name reported by the server");
  app.add_option("--threads", cli.threads, "I/O threads")->check(CLI::Range(1, 256));
  app.add_option("--record-limit", cli.record_limit,
                 "Requests kept for GET /__sim/requests (0: none)");
  app.add_option("--max-body-bytes", cli.max_body_bytes, "Request body limit");
  app.add_option("--mode", cli.mode, "Content: words | echo | reply")
      ->check(CLI::IsMember({"words", "echo", "reply"}));
  app.add_option("--reply", cli.settings.reply, "Literal reply text (mode reply)");
  app.add_option("--tokens", cli.settings.tokens, "Answer length in tokens (mode words)");
  app.add_option("--ttft-ms", cli.settings.ttft_ms, "Delay before the first byte");
  app.add_option("--tokens-per-second", cli.settings.tokens_per_second,
                 "Streaming pace (0: as fast as possible)");
  app.add_flag("--tool-call", cli.settings.tool_call, "Call the first tool when tools are given");
  app.add_option("--fault", cli.fault, "Fault for every request (see docs/simulator.md)");
  app.add_option("--fault-status", cli.settings.status, "HTTP status for --fault status");
  app.add_option("--fault-message", cli.settings.message, "Error message for faults");
  app.add_option("--after-chunks", cli.settings.after_chunks,
                 "SSE frames sent before a mid-stream fault");
  app.add_option("--stall-ms", cli.settings.stall_ms, "Length of a stall");
  app.add_option("--stall-after-chunks", cli.settings.stall_after_chunks,
                 "Stall after this many frames (-1: before the first byte)");
  CLI11_PARSE(app, argc, argv);

  lanewise::sim::SimulatorOptions options;
  options.model_alias = cli.model_alias;
  options.record_limit = cli.record_limit;
  options.defaults = cli.settings;
  lanewise::sim::ParseFlavor(cli.flavor, options.flavor);
  lanewise::sim::ParseMode(cli.mode, options.defaults.mode);
  if (!lanewise::sim::ParseFault(cli.fault, options.defaults.fault)) {
    std::cerr << "lanewise-sim: unknown fault '" << cli.fault << "'\n";
    return 2;
  }

  try {
    lanewise::sim::Simulator simulator(options);
    lanewise::http::Server::Options server_options;
    server_options.address = cli.host;
    server_options.port = cli.port;
    server_options.io_threads = cli.threads;
    server_options.max_body_bytes = cli.max_body_bytes;
    server_options.server_name = "lanewise-sim";
    lanewise::http::Server server(server_options, simulator.MakeHandler());
    server.Listen();
    // SIGTERM / SIGINT: stop accepting, give running responses a moment, exit 0. Installed
    // before the listening line, which is when a test may already send SIGTERM.
    boost::asio::io_context signal_context;
    boost::asio::signal_set signals(signal_context, SIGINT, SIGTERM);
    signals.async_wait([&server](const boost::system::error_code& ec, int) {
      if (!ec) server.Drain(std::chrono::milliseconds(500));
    });
    std::printf("{\"event\":\"listening\",\"host\":\"%s\",\"port\":%u}\n", cli.host.c_str(),
                static_cast<unsigned>(server.port()));
    std::fflush(stdout);

    std::thread signal_thread([&signal_context] { signal_context.run(); });
    server.Run();
    signal_context.stop();
    signal_thread.join();
  } catch (const std::exception& e) {
    std::cerr << "lanewise-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
