#include "app/serve_command.h"

#include <malloc.h>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>

#include <csignal>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "api/gateway.h"
#include "app/serve_evidence.h"
#include "app/server_settings.h"
#include "app/snapshot_builder.h"
#include "config/config_store.h"
#include "http/client.h"
#include "http/server.h"
#include "state/memory_session_store.h"
#include "telemetry/json_log.h"

namespace lanewise::app {
namespace {

using telemetry::Log;
using telemetry::LogLevel;

// The live snapshot; requests load it, a reload stores a new one.
class SnapshotHolder {
 public:
  explicit SnapshotHolder(api::SnapshotPtr initial) : current_(std::move(initial)) {}
  api::SnapshotPtr Get() const { return current_.load(std::memory_order_acquire); }
  void Set(api::SnapshotPtr next) { current_.store(std::move(next), std::memory_order_release); }

 private:
  std::atomic<api::SnapshotPtr> current_;
};

bool ParseListen(const std::string& listen, std::string& host, std::uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  try {
    int p = std::stoi(listen.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    port = static_cast<std::uint16_t>(p);
  } catch (const std::exception&) {
    return false;
  }
  return !host.empty();
}

void LogLanes(const config::Config& config) {
  for (const auto& lane : config.lanes) {
    boost::json::object fields;
    fields["lane"] = lane.name;
    fields["kind"] = config::LaneKindName(lane.kind);
    fields["base_url"] = lane.base_url;
    boost::json::array aliases;
    for (const auto& m : lane.models) aliases.emplace_back(m.alias);
    fields["models"] = std::move(aliases);
    Log(LogLevel::kInfo, "lane configured", std::move(fields));
  }
}

void LogWarnings(const config::Config& config) {
  for (const auto& warning : config.warnings) {
    Log(LogLevel::kWarn, "config warning", {{"warning", warning}, {"version", config.version}});
  }
}

lanes::LaneHealthOptions BreakerOptions(const config::ServerConfig& server) {
  return {server.breaker_failures_to_open, server.breaker_open, server.breaker_max_open};
}

http::ServerLimits LimitsOf(const config::ServerConfig& server) {
  return {server.max_body_bytes, server.client_header_timeout, server.keep_alive_idle};
}

// What a reload changes besides the snapshot: the live server settings.
struct LiveServer {
  http::Server* server = nullptr;
  std::shared_ptr<lanes::LaneHealth> health;
  std::atomic<std::int64_t>* drain_grace_ms = nullptr;
};

boost::json::array Keys(const std::vector<std::string>& keys) {
  boost::json::array out;
  for (const auto& key : keys) out.emplace_back(key);
  return out;
}

// Called after every reload attempt of the store (SIGHUP or file change).
// Loading a policy reads its files whole and builds its tables (gazetteers, difficulty
// weights, pattern databases) through several megabytes of buffers that are freed again;
// malloc keeps such memory for reuse, so the idle gateway would carry it for good. It goes
// back to the system once loading is over (docs/architecture.md, "What a request costs").
void ReturnFreedMemory() {
  malloc_trim(0);
}

void InstallReloaded(const core::Result<std::string>& outcome, const config::ConfigStore& store,
                     SnapshotHolder& holder, const LiveServer& live) {
  const config::ConfigPtr running_config = holder.Get()->config;
  const std::string running = running_config->version;
  if (!outcome.ok()) {
    Log(LogLevel::kError, "config reload refused; the running config keeps serving",
        {{"error", outcome.status().message()}, {"version", running}});
    return;
  }
  config::ConfigPtr next = store.Current();
  if (next->version == running) return;  // the file was touched but did not change
  auto built = BuildSnapshot(next, live.health);
  if (!built.ok()) {
    Log(LogLevel::kError, "config reload refused; the running config keeps serving",
        {{"error", built.status().message()}, {"version", running}});
    return;
  }
  const ServerSettingsChange change = DiffServerSettings(running_config->server, next->server);
  live.server->SetLimits(LimitsOf(next->server));
  live.health->SetOptions(BreakerOptions(next->server));
  live.drain_grace_ms->store(next->server.drain_grace.count());
  holder.Set(built.value());
  boost::json::object fields{{"version", next->version}, {"previous", running}};
  if (!change.applied.empty()) fields["server_applied"] = Keys(change.applied);
  Log(LogLevel::kInfo, "config reloaded", std::move(fields));
  if (!change.need_restart.empty()) {
    Log(LogLevel::kWarn,
        "config reloaded, but these server settings only change on a restart; they keep their "
        "running values",
        {{"server_needs_restart", Keys(change.need_restart)}, {"version", next->version}});
  }
  LogWarnings(*next);
  LogLanes(*next);
  ReturnFreedMemory();
}

}  // namespace

int RunServe(const ServeOptions& options) {
  // Block the signals we handle in every thread; a dedicated thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto opened = config::ConfigStore::Open(options.config_path);
  if (!opened.ok()) {
    std::cerr << "lanewise: " << opened.status().message() << "\n";
    return 2;
  }
  std::unique_ptr<config::ConfigStore> store = std::move(opened.value());
  config::ConfigPtr config = store->Current();
  // Lane breakers outlive reloads: a lane keeps its health under its name.
  auto health = std::make_shared<lanes::LaneHealth>(BreakerOptions(config->server));
  auto built = BuildSnapshot(config, health);
  if (!built.ok()) {
    std::cerr << "lanewise: " << built.status().message() << "\n";
    return 2;
  }
  SnapshotHolder holder(built.value());
  auto evidence = BuildServeEvidence(*config, [health] { return health->Snapshot(); });
  if (!evidence.ok()) {
    std::cerr << "lanewise: server.audit: " << evidence.status().message() << "\n";
    return 2;
  }
  ReturnFreedMemory();

  http::Server::Options server_options;
  server_options.address = config->server.listen_address;
  server_options.port = config->server.port;
  if (!options.listen.empty() &&
      !ParseListen(options.listen, server_options.address, server_options.port)) {
    std::cerr << "lanewise: --listen must be host:port, got '" << options.listen << "'\n";
    return 2;
  }
  int threads = config->server.io_threads;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  server_options.io_threads = threads;
  server_options.max_body_bytes = config->server.max_body_bytes;
  server_options.header_timeout = config->server.client_header_timeout;
  server_options.keep_alive_idle = config->server.keep_alive_idle;
  server_options.on_rejected = [](const http::RejectedRequest& rejected) {
    boost::json::object fields{{"request_id", rejected.request_id},
                               {"status", rejected.status},
                               {"error", rejected.code},
                               {"detail", rejected.message}};
    if (!rejected.method.empty()) {
      fields["method"] = rejected.method;
      fields["path"] = rejected.target.substr(0, rejected.target.find('?'));
    }
    Log(LogLevel::kInfo, "request", std::move(fields));
  };

  // Sessions (x-lanewise-session) outlive reloads: at most 100,000, each kept an hour
  // after its last turn.
  auto sessions = std::make_shared<state::MemorySessionStore>(100000, std::chrono::hours(1));
  auto gateway = std::make_shared<api::Gateway>([&holder] { return holder.Get(); },
                                                [health] { return health->Snapshot(); },
                                                evidence->gateway, sessions);
  http::Server server(server_options,
                      [gateway](http::Request& request, http::ResponseWriter& writer) {
                        return gateway->Handle(request, writer);
                      });
  try {
    server.Listen();
  } catch (const std::exception& e) {
    std::cerr << "lanewise: cannot listen on " << server_options.address << ":"
              << server_options.port << ": " << e.what() << "\n";
    return 2;
  }
  // The file is watched before "listening" is announced: an edit made as soon as the
  // gateway says it listens is not lost.
  std::atomic<std::int64_t> drain_grace_ms{config->server.drain_grace.count()};
  LiveServer live{&server, health, &drain_grace_ms};
  auto on_reload = [&store, &holder, &live](const core::Result<std::string>& outcome) {
    InstallReloaded(outcome, *store, holder, live);
  };
  if (auto watching = store->StartWatching(on_reload); !watching.ok()) {
    Log(LogLevel::kWarn, "not watching the config file; reload with SIGHUP",
        {{"error", watching.message()}});
  }
  LogWarnings(*config);
  LogLanes(*config);
  Log(LogLevel::kInfo, "listening",
      {{"address", server_options.address},
       {"port", server.port()},
       {"io_threads", threads},
       {"config", config->source_path},
       {"version", config->version}});
  std::cout << R"({"event":"listening","host":")" << server_options.address << R"(","port":)"
            << server.port() << "}" << std::endl;

  std::thread signal_thread([&] {
    while (true) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        on_reload(store->Reload());
        continue;
      }
      const std::chrono::milliseconds grace(drain_grace_ms.load());
      Log(LogLevel::kInfo, "draining",
          {{"signal", sig}, {"grace_ms", grace.count()}, {"in_flight", server.in_flight()}});
      server.Drain(grace);
      return;
    }
  });
  // Log lines written on an I/O thread are gathered and written once per turn of its loop
  // (one write(2) for the lines of several requests under load).
  telemetry::SetLogDeferral([](void (*flush)()) {
    boost::asio::io_context* context = http::Server::CurrentIoContext();
    if (context == nullptr) return false;
    boost::asio::post(*context, flush);
    return true;
  });
  server.Run();
  telemetry::FlushThreadLog();  // context 0 ran on this thread; the others flush as they end
  // Every record queued so far is written before the process ends.
  evidence->Stop();
  // Context 0 ran on this thread; its pooled upstream sockets must go before the server.
  http::Client::DropThreadPools();
  // Run() also returns if the server stopped for another reason; wake the signal thread.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  store->StopWatching();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace lanewise::app
