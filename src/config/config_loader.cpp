#include "config/config_loader.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "config/endpoint_parser.h"
#include "config/policy_loader.h"
#include "config/yaml_reader.h"

namespace lanewise::config {
namespace {

constexpr std::int64_t kMaxMillis = 24LL * 3600 * 1000;

bool IsLaneName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsAlias(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

Millis ReadMillis(const NodeRef& node, std::int64_t min) {
  return Millis(node.Int(min, kMaxMillis));
}

void ReadAudit(const NodeRef& node, const LoadOptions& options, AuditConfig* audit) {
  node.ExpectMap();
  node.RejectUnknownKeys({"sqlite", "postgres", "queue_capacity", "retention_days", "chain_key_env",
                          "open_timeout_ms", "wait_for_commit", "journal"});
  if (auto n = node.Find("sqlite")) {
    std::filesystem::path file(n->NonEmptyString());
    if (file.is_relative() && !options.base_dir.empty()) file = options.base_dir / file;
    audit->sqlite_path = file.string();
  }
  if (auto n = node.Find("postgres")) {
    if (!audit->sqlite_path.empty()) n->Fail("give either sqlite or postgres, not both");
    audit->postgres = n->NonEmptyString();
  }
  if (auto n = node.Find("journal")) {
    std::filesystem::path file(n->NonEmptyString());
    if (file.is_relative() && !options.base_dir.empty()) file = options.base_dir / file;
    audit->journal_path = file.string();
  } else if (!audit->postgres.empty()) {
    node.Fail(
        "server.audit.postgres needs server.audit.journal: a local file that keeps the "
        "events not yet in PostgreSQL");
  } else if (!audit->sqlite_path.empty()) {
    audit->journal_path = audit->sqlite_path + ".pending";
  }
  if (auto n = node.Find("queue_capacity")) {
    audit->queue_capacity = static_cast<std::size_t>(n->Int(1, 10'000'000));
  }
  if (auto n = node.Find("retention_days")) {
    audit->retention_days = static_cast<int>(n->Int(0, 100 * 365));
  }
  if (auto n = node.Find("chain_key_env")) {
    audit->chain_key_env = n->NonEmptyString();
    std::optional<std::string> key =
        options.env ? options.env(audit->chain_key_env) : std::optional<std::string>();
    if (!key || key->empty()) {
      n->Fail("environment variable " + audit->chain_key_env + " is not set");
    }
    audit->chain_key = *key;
  }
  if (auto n = node.Find("open_timeout_ms")) audit->open_timeout = ReadMillis(*n, 1);
  if (auto n = node.Find("wait_for_commit")) {
    const std::string mode = n->NonEmptyString();
    if (mode != "all" && mode != "evidence" && mode != "none") {
      n->Fail("expected \"none\", \"evidence\" or \"all\"");
    }
    audit->wait_for_commit = mode == "all"        ? AuditConfig::CommitWait::kAll
                             : mode == "evidence" ? AuditConfig::CommitWait::kEvidence
                                                  : AuditConfig::CommitWait::kNone;
  }
}

void ReadServer(const NodeRef& node, const LoadOptions& options, ServerConfig* server) {
  if (node.IsNull()) return;
  node.RejectUnknownKeys({"listen", "max_body_bytes", "io_threads", "drain_grace_ms",
                          "client_header_timeout_ms", "keep_alive_idle_ms", "lane_breaker",
                          "audit"});
  if (auto n = node.Find("audit")) ReadAudit(*n, options, &server->audit);
  if (auto n = node.Find("listen")) {
    core::Result<ListenAddress> addr = ParseListenAddress(n->NonEmptyString());
    if (!addr.ok()) n->Fail(addr.status().message());
    server->listen_address = addr->host;
    server->port = addr->port;
  }
  if (auto n = node.Find("max_body_bytes")) {
    server->max_body_bytes = static_cast<std::size_t>(n->Int(1, 1LL << 30));
  }
  if (auto n = node.Find("io_threads")) server->io_threads = static_cast<int>(n->Int(0, 1024));
  if (auto n = node.Find("drain_grace_ms")) server->drain_grace = ReadMillis(*n, 0);
  if (auto n = node.Find("client_header_timeout_ms")) {
    server->client_header_timeout = ReadMillis(*n, 1);
  }
  if (auto n = node.Find("keep_alive_idle_ms")) server->keep_alive_idle = ReadMillis(*n, 1);
  if (auto breaker = node.Find("lane_breaker")) {
    breaker->ExpectMap();
    breaker->RejectUnknownKeys({"failures_to_open", "open_ms", "max_open_ms"});
    if (auto n = breaker->Find("failures_to_open")) {
      server->breaker_failures_to_open = static_cast<int>(n->Int(0, 1000));
    }
    if (auto n = breaker->Find("open_ms")) server->breaker_open = ReadMillis(*n, 1);
    if (auto n = breaker->Find("max_open_ms")) server->breaker_max_open = ReadMillis(*n, 1);
    if (server->breaker_max_open < server->breaker_open) {
      breaker->Fail("max_open_ms must be at least open_ms");
    }
  }
}

void ReadTls(const NodeRef& node, const LoadOptions& options, TlsOptions* tls) {
  if (node.IsNull()) return;
  node.RejectUnknownKeys({"verify", "ca_file"});
  if (auto n = node.Find("verify")) tls->verify = n->Bool();
  if (auto n = node.Find("ca_file")) {
    std::filesystem::path file(n->NonEmptyString());
    if (file.is_relative() && !options.base_dir.empty()) file = options.base_dir / file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      n->Fail("CA file \"" + file.string() + "\" does not exist or is not a regular file");
    }
    tls->ca_file = file.string();
  }
}

void ReadDeadlines(const NodeRef& node, Deadlines* d) {
  if (node.IsNull()) return;
  node.RejectUnknownKeys({"connect_ms", "first_byte_ms", "idle_ms", "total_ms"});
  if (auto n = node.Find("connect_ms")) d->connect = ReadMillis(*n, 1);
  if (auto n = node.Find("first_byte_ms")) d->first_byte = ReadMillis(*n, 1);
  if (auto n = node.Find("idle_ms")) d->idle = ReadMillis(*n, 1);
  if (auto n = node.Find("total_ms")) d->total = ReadMillis(*n, 1);
  if (d->first_byte > d->total || d->connect > d->total) {
    node.Warn("total_ms is shorter than connect_ms or first_byte_ms; total_ms wins");
  }
}

void ReadModels(const NodeRef& node, LaneConfig* lane) {
  node.ExpectSequence(/*allow_empty=*/false);
  std::map<std::string, std::string, std::less<>> seen;  // alias -> location
  for (const NodeRef& item : node.Items()) {
    item.ExpectMap();
    item.RejectUnknownKeys({"alias", "upstream"});
    const NodeRef alias_node = item.Require("alias");
    ModelRoute route;
    route.alias = alias_node.NonEmptyString();
    if (!IsAlias(route.alias)) alias_node.Fail("an alias must not contain spaces or controls");
    if (auto it = seen.find(route.alias); it != seen.end()) {
      alias_node.Fail("duplicate alias \"" + route.alias + "\" in this lane (first at " +
                      it->second + ")");
    }
    seen.emplace(route.alias, alias_node.Location());
    route.upstream_model = item.Require("upstream").NonEmptyString();
    lane->models.push_back(std::move(route));
  }
}

// lanes[].capacity: {max_concurrency, queue, queue_timeout_ms, when_full, degrade_to}.
LaneCapacity ReadCapacity(const NodeRef& node) {
  node.ExpectMap();
  node.RejectUnknownKeys(
      {"max_concurrency", "queue", "queue_timeout_ms", "when_full", "degrade_to"});
  LaneCapacity c;
  c.max_concurrency = static_cast<int>(node.Require("max_concurrency").Int(1, 100000));
  if (auto n = node.Find("when_full")) {
    const std::string name = n->OneOf({"queue", "burst", "degrade", "refuse"});
    c.when_full = name == "burst"     ? WhenFull::kBurst
                  : name == "degrade" ? WhenFull::kDegrade
                  : name == "refuse"  ? WhenFull::kRefuse
                                      : WhenFull::kQueue;
  }
  if (auto n = node.Find("queue")) {
    if (c.when_full != WhenFull::kQueue) n->Fail("a queue is only used with when_full: queue");
    c.queue = static_cast<int>(n->Int(0, 100000));
  }
  if (auto n = node.Find("queue_timeout_ms")) {
    c.queue_timeout = std::chrono::milliseconds(n->Int(1, 600000));
  }
  if (c.queue > 0 && c.queue_timeout.count() == 0) c.queue_timeout = std::chrono::seconds(5);
  if (auto n = node.Find("degrade_to")) {
    if (c.when_full != WhenFull::kDegrade) n->Fail("degrade_to needs when_full: degrade");
    c.degrade_to = n->NonEmptyString();
  } else if (c.when_full == WhenFull::kDegrade) {
    node.Fail("when_full: degrade needs degrade_to (the smaller model lane)");
  }
  return c;
}

LaneConfig ReadLane(const NodeRef& node, const LoadOptions& options) {
  node.ExpectMap();
  if (auto literal = node.Find("api_key")) {
    literal->Fail(
        "a literal api_key is refused: keys must not live in config files. Put the key in an "
        "environment variable and name it with api_key_env (e.g. api_key_env: "
        "OPENAI_API_KEY)");
  }
  node.RejectUnknownKeys({"name", "kind", "provider", "base_url", "api_key_env", "tls",
                          "max_idle_connections", "max_event_bytes", "deadlines", "models", "price",
                          "slots", "capacity"});
  LaneConfig lane;
  const NodeRef name = node.Require("name");
  lane.name = name.NonEmptyString();
  if (!IsLaneName(lane.name)) {
    name.Fail("lane names use only a-z, 0-9, '_' and '-' (at most 64), got \"" + lane.name + "\"");
  }
  const NodeRef kind = node.Require("kind");
  lane.kind = *ParseLaneKind(kind.OneOf({"local", "private", "managed"}));
  lane.provider = "openai-compatible";
  if (auto n = node.Find("provider")) lane.provider = n->OneOf({"openai-compatible"});

  const NodeRef base_url = node.Require("base_url");
  lane.base_url = base_url.NonEmptyString();
  core::Result<Endpoint> endpoint = ParseBaseUrl(lane.base_url);
  if (!endpoint.ok()) base_url.Fail(endpoint.status().message());
  lane.endpoint = std::move(endpoint).value();

  if (auto n = node.Find("api_key_env")) {
    lane.api_key_env = n->NonEmptyString();
    lane.api_key = ReadEnvSecret(*n, options, /*min_bytes=*/1);
  }
  if (auto n = node.Find("tls")) ReadTls(*n, options, &lane.tls);
  if (!lane.endpoint.tls() && (!lane.tls.verify || !lane.tls.ca_file.empty())) {
    base_url.Warn("tls options have no effect on an http:// base_url");
  }
  if (lane.kind == LaneKind::kManaged && !lane.endpoint.tls()) {
    base_url.Warn("a managed lane over plain http sends requests unencrypted");
  }
  if (auto n = node.Find("max_idle_connections")) {
    lane.max_idle_connections = static_cast<int>(n->Int(0, 4096));
  }
  if (auto n = node.Find("max_event_bytes")) {
    lane.max_event_bytes = static_cast<std::size_t>(n->Int(1024, 1LL << 30));
  }
  if (auto n = node.Find("deadlines")) ReadDeadlines(*n, &lane.deadlines);
  ReadModels(node.Require("models"), &lane);
  if (auto n = node.Find("price")) lane.price = ReadLanePrice(*n);
  if (auto n = node.Find("slots")) lane.slots = static_cast<int>(n->Int(1, 4096));
  if (auto n = node.Find("capacity")) lane.capacity = ReadCapacity(*n);
  return lane;
}

// degrade_to names a lane: resolved once every lane is read.
void ResolveDegradeLanes(const NodeRef& lanes_node, Config* config) {
  const std::vector<NodeRef> items = lanes_node.Items();
  for (std::size_t i = 0; i < config->lanes.size(); ++i) {
    LaneCapacity& c = config->lanes[i].capacity;
    if (c.when_full != WhenFull::kDegrade) continue;
    const NodeRef at = items[i].Require("capacity").Require("degrade_to");
    const std::optional<std::size_t> index = config->LaneIndex(c.degrade_to);
    if (!index.has_value()) at.Fail("unknown lane \"" + c.degrade_to + "\"");
    if (*index == i) at.Fail("a lane cannot degrade to itself");
    c.degrade_index = *index;
  }
}

void ReadLanes(const NodeRef& node, const LoadOptions& options, bool has_policy, Config* config) {
  node.ExpectSequence(/*allow_empty=*/false);
  std::map<std::string, std::string, std::less<>> names;    // name -> location
  std::map<std::string, std::string, std::less<>> aliases;  // alias -> "lane" at location
  for (const NodeRef& item : node.Items()) {
    LaneConfig lane = ReadLane(item, options);
    const NodeRef name = item.Require("name");
    if (auto it = names.find(lane.name); it != names.end()) {
      name.Fail("duplicate lane name \"" + lane.name + "\" (first at " + it->second + ")");
    }
    names.emplace(lane.name, name.Location());
    const std::vector<NodeRef> models = item.Require("models").Items();
    for (std::size_t i = 0; i < lane.models.size(); ++i) {
      const std::string& alias = lane.models[i].alias;
      if (auto it = aliases.find(alias); !has_policy && it != aliases.end()) {
        // Without a policy, an alias must name exactly one lane; with one, the policy
        // chooses among the lanes serving it.
        models[i].Require("alias").Fail("alias \"" + alias + "\" is already served by " +
                                        it->second +
                                        "; without a policy section an alias must be unique "
                                        "across lanes");
      }
      aliases.emplace(alias, "lane \"" + lane.name + "\" at " + models[i].Location());
    }
    config->lanes.push_back(std::move(lane));
  }
  ResolveDegradeLanes(node, config);
}

core::Result<ConfigPtr> Build(std::string_view yaml, std::string source_name,
                              const LoadOptions& options) {
  LoadContext ctx{source_name, options.env, {}};
  try {
    const NodeRef root = ParseDocument(yaml, &ctx);
    if (root.IsNull()) {
      throw ConfigError(source_name + ":1:1: the file is empty; expected at least a lanes list");
    }
    root.ExpectMap();
    root.RejectUnknownKeys({"server", "lanes", "policy"});
    auto config = std::make_shared<Config>();
    config->source_path = std::move(source_name);
    config->version = ContentVersion(yaml);
    if (auto server = root.Find("server")) ReadServer(*server, options, &config->server);
    const std::optional<NodeRef> policy = root.Find("policy");
    ReadLanes(root.Require("lanes"), options, policy.has_value(), config.get());
    if (policy.has_value()) config->policy = ReadPolicy(*policy, *config, options);
    config->warnings = std::move(ctx.warnings);
    return ConfigPtr(std::move(config));
  } catch (const ConfigError& e) {
    return core::InvalidArgument(e.what(), "invalid_config");
  } catch (const std::exception& e) {
    return core::InvalidArgument(ctx.source_name + ": " + e.what(), "invalid_config");
  }
}

}  // namespace

std::string ContentVersion(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return "unhashed";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length && out.size() < 16; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

core::Result<ConfigPtr> LoadConfigString(std::string_view yaml, std::string source_name) {
  return LoadConfigString(yaml, std::move(source_name), LoadOptions{});
}

core::Result<ConfigPtr> LoadConfigString(std::string_view yaml, std::string source_name,
                                         const LoadOptions& options) {
  return Build(yaml, std::move(source_name), options);
}

core::Result<ConfigPtr> LoadConfigFile(const std::string& path) {
  return LoadConfigFile(path, LoadOptions{});
}

core::Result<ConfigPtr> LoadConfigFile(const std::string& path, const LoadOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return core::NotFound("cannot read config file " + path + ": it is a directory",
                          "config_unreadable");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::NotFound("cannot read config file " + path + ": " + std::strerror(errno),
                          "config_unreadable");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) {
    return core::NotFound("error reading config file " + path, "config_unreadable");
  }
  LoadOptions with_dir = options;
  if (with_dir.base_dir.empty()) {
    with_dir.base_dir = std::filesystem::path(path).parent_path().string();
  }
  return Build(bytes.str(), path, with_dir);
}

}  // namespace lanewise::config
