// Simulator: the request handler of lanewise-sim. Routes llama-server / OpenAI paths,
// records every request, and plays a ResponseScript (content, pacing, faults) on the
// connection. Runs on http::Server; one Simulator serves all I/O threads.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/server.h"
#include "tools/sim/request_log.h"
#include "tools/sim/response_script.h"
#include "tools/sim/sim_settings.h"
#include "tools/sim/wire.h"

namespace lanewise::sim {

struct SimulatorOptions {
  Flavor flavor = Flavor::kLlama;
  std::string model_alias = "tiny-random-llama";
  Settings defaults;
  std::size_t record_limit = 10000;
};

class Simulator {
 public:
  explicit Simulator(SimulatorOptions options);

  boost::asio::awaitable<void> Handle(http::Request& request, http::ResponseWriter& writer);
  // A handler for http::Server; the Simulator must outlive the server.
  http::Handler MakeHandler();

  Settings settings() const;
  void set_settings(Settings settings);
  RequestLog& log() { return log_; }
  std::size_t active() const { return active_.load(); }

 private:
  ResponseScript Route(http::Request& request);
  ResponseScript HandleChat(const http::Request& request);
  ResponseScript HandleConfig(const http::Request& request);
  ResponseScript Json(int status, std::string body) const;
  boost::asio::awaitable<void> Play(ResponseScript script, http::ResponseWriter& writer);
  // With `slots` > 0: how long a request arriving now, busy for `busy_ms`, waits for a
  // slot (the earliest free one; first come, first served), and books that slot.
  double BookSlot(int slots, double busy_ms);

  const SimulatorOptions options_;
  const std::unique_ptr<Wire> wire_;
  mutable std::mutex settings_mutex_;
  Settings settings_;
  RequestLog log_;
  std::atomic<std::size_t> active_{0};
  std::mutex slots_mutex_;
  // When each generation slot is free again; resized when `slots` changes. A client that
  // goes away does not free its slot early (the model would still be generating).
  std::vector<std::chrono::steady_clock::time_point> slot_free_at_;
};

}  // namespace lanewise::sim
