// Config: the immutable, validated gateway configuration loaded from YAML.
//
// Built once by LoadConfig (config_loader.h) and then only read; a reload builds a new
// Config and swaps the shared_ptr (config_store.h). Nothing in here does I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/policy.h"

namespace lanewise::config {

using Millis = std::chrono::milliseconds;

// Every wait on a lane has a deadline.
struct Deadlines {
  Millis connect{2000};      // TCP connect + TLS handshake
  Millis first_byte{60000};  // request sent -> first byte of the response
  Millis idle{30000};        // between two reads of a streamed response
  Millis total{600000};      // whole exchange
};

enum class LaneKind { kLocal, kPrivate, kManaged };
std::string_view LaneKindName(LaneKind kind);
// "local" | "private" | "managed"; nullopt otherwise.
std::optional<LaneKind> ParseLaneKind(std::string_view name);

struct TlsOptions {
  bool verify = true;   // certificate chain and host name
  std::string ca_file;  // empty: the system CA store
};

// A base URL split into what the HTTP client needs.
struct Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;
  std::uint16_t port = 0;
  std::string path_prefix;  // e.g. "/v1", no trailing slash
  bool tls() const { return scheme == "https"; }
};

struct ModelRoute {
  std::string alias;           // what clients send as `model`
  std::string upstream_model;  // what the lane is sent
};

// What a lane costs (docs/policy.md, "Cost"): per million input and output tokens, and/or
// per second of compute (a local lane), the seconds estimated from the output tokens.
struct LanePrice {
  double input_per_mtok = 0.0;             // USD per 1,000,000 input tokens
  double output_per_mtok = 0.0;            // USD per 1,000,000 output tokens
  double per_second = 0.0;                 // USD per second of generation
  double output_tokens_per_second = 50.0;  // to turn output tokens into seconds
};

// What happens to a request when its lane is at max_concurrency (docs/policy.md,
// "Capacity").
enum class WhenFull {
  kQueue,    // wait in the lane's bounded queue; 503 + Retry-After when it is full or slow
  kBurst,    // go on at once to the plan's next attempt (a lane the class allows)
  kDegrade,  // go on at once to `degrade_to` (a smaller model lane), if the class allows it
  kRefuse,   // 429 + Retry-After at once
};
std::string_view WhenFullName(WhenFull when_full);

struct LaneCapacity {
  int max_concurrency = 0;  // 0: no limit
  int queue = 0;            // waiters beyond max_concurrency (when_full: queue)
  std::chrono::milliseconds queue_timeout{0};
  WhenFull when_full = WhenFull::kQueue;
  std::string degrade_to;  // when_full: degrade
  std::size_t degrade_index = 0;
};

struct LaneConfig {
  std::string name;
  LaneKind kind = LaneKind::kLocal;
  std::string provider;  // "openai-compatible"
  std::string base_url;  // as written
  Endpoint endpoint;
  std::string api_key_env;  // name of the environment variable holding the key; may be empty
  std::string api_key;      // resolved from api_key_env at load; never logged
  TlsOptions tls;
  Deadlines deadlines;
  int max_idle_connections = 32;  // per I/O thread
  // Largest SSE event accepted from this lane; a larger one ends the stream with an error
  // event (an endless line or a huge event must not be buffered whole).
  std::size_t max_event_bytes = 8 << 20;
  std::vector<ModelRoute> models;
  LanePrice price;  // all zero when the lane declares none
  // How many requests the lane serves at once (llama-server's --parallel): more wait in
  // its queue, which the latency model predicts. 0: unknown, no queue predicted.
  int slots = 0;
  LaneCapacity capacity;
};

// server.audit (docs/evidence.md): where decision records go. Read at start, not on reload.
struct AuditConfig {
  std::string sqlite_path;  // at most one of these two; both empty: no audit store
  std::string postgres;     // libpq connection string or postgresql:// URI
  std::size_t queue_capacity = 10000;
  int retention_days = 0;     // 0: keep forever
  std::string chain_key_env;  // environment variable holding the chain's HMAC key
  std::string chain_key;      // resolved at load; never logged
  // Local file of the events not yet in the store (audit/event_journal.h): what makes an
  // event survive kill -9 without waiting for its commit. Default for SQLite:
  // "<sqlite>.pending"; required with postgres.
  std::string journal_path;
  Millis open_timeout{2000};  // longest wait for a decision's record before the first attempt
  // Whose open record is waited for (its commit to the store) before the first attempt:
  // nobody's (the journal already keeps it), evidence classes' only, or every class's.
  enum class CommitWait { kNone, kEvidence, kAll };
  CommitWait wait_for_commit = CommitWait::kNone;
};

struct ServerConfig {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t max_body_bytes = 1 << 20;  // larger request bodies get 413
  int io_threads = 0;                    // 0: one per core
  Millis drain_grace{10000};             // SIGTERM: time allowed for in-flight requests
  Millis client_header_timeout{30000};   // reading a request's headers and body
  Millis keep_alive_idle{120000};        // an idle keep-alive connection is closed after this
  // Lane circuit breaker (lanes::LaneHealth).
  int breaker_failures_to_open = 3;  // 0: never mark a lane down
  Millis breaker_open{5000};
  Millis breaker_max_open{60000};
  AuditConfig audit;
};

struct Config {
  std::string source_path;
  std::string version;  // content hash of the file, carried by every decision
  ServerConfig server;
  std::vector<LaneConfig> lanes;
  // Non-fatal findings of the loader, located like errors ("file:line:col: ..."); the
  // caller logs them.
  std::vector<std::string> warnings;
  // The `policy:` section; absent means plain alias routing (docs/policy.md).
  std::optional<Policy> policy;

  // Index of a lane in `lanes`, or nullopt.
  std::optional<std::size_t> LaneIndex(std::string_view name) const;

  const LaneConfig* FindLane(std::string_view name) const;
  // The lane and upstream model for a model alias, or nullptr.
  struct AliasTarget {
    const LaneConfig* lane;
    const ModelRoute* route;
  };
  std::optional<AliasTarget> ResolveAlias(std::string_view alias) const;
  // Every alias, in config order, without duplicates.
  std::vector<std::string> Aliases() const;
};

using ConfigPtr = std::shared_ptr<const Config>;

}  // namespace lanewise::config
