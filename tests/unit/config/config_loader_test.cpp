#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "config/config_loader.h"
#include "test_env.h"

namespace lanewise::config {
namespace {

using testing::LoadError;
using testing::OptionsWithEnv;

constexpr const char* kFull = R"(server:
  listen: 0.0.0.0:9090
  max_body_bytes: 2097152
  io_threads: 4
  drain_grace_ms: 5000
  client_header_timeout_ms: 15000
lanes:
  - name: local
    kind: local
    provider: openai-compatible
    base_url: ${LOCAL_LLM_URL:-http://127.0.0.1:8081/v1}
    max_idle_connections: 8
    deadlines: { connect_ms: 500, first_byte_ms: 20000, idle_ms: 10000, total_ms: 120000 }
    models:
      - alias: local-chat
        upstream: tiny-random-llama
      - alias: local-code
        upstream: tiny-coder
  - name: cloud
    kind: managed
    base_url: https://api.example.com/v1/
    api_key_env: TEST_CLOUD_KEY
    tls: { verify: false }
    models:
      - { alias: big-chat, upstream: gpt-4o }
)";

TEST(ConfigLoaderTest, LoadsEveryField) {
  auto result = LoadConfigString(kFull, "full.yaml", OptionsWithEnv({{"TEST_CLOUD_KEY", "sk-1"}}));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Config& c = **result;
  EXPECT_EQ(c.source_path, "full.yaml");
  EXPECT_EQ(c.version.size(), 16u);
  EXPECT_EQ(c.server.listen_address, "0.0.0.0");
  EXPECT_EQ(c.server.port, 9090);
  EXPECT_EQ(c.server.max_body_bytes, 2097152u);
  EXPECT_EQ(c.server.io_threads, 4);
  EXPECT_EQ(c.server.drain_grace, Millis(5000));
  EXPECT_EQ(c.server.client_header_timeout, Millis(15000));
  ASSERT_EQ(c.lanes.size(), 2u);

  const LaneConfig& local = c.lanes[0];
  EXPECT_EQ(local.name, "local");
  EXPECT_EQ(local.kind, LaneKind::kLocal);
  EXPECT_EQ(local.provider, "openai-compatible");
  EXPECT_EQ(local.base_url, "http://127.0.0.1:8081/v1");
  EXPECT_EQ(local.endpoint.host, "127.0.0.1");
  EXPECT_EQ(local.endpoint.port, 8081);
  EXPECT_EQ(local.endpoint.path_prefix, "/v1");
  EXPECT_EQ(local.max_idle_connections, 8);
  EXPECT_EQ(local.deadlines.connect, Millis(500));
  EXPECT_EQ(local.deadlines.first_byte, Millis(20000));
  EXPECT_EQ(local.deadlines.idle, Millis(10000));
  EXPECT_EQ(local.deadlines.total, Millis(120000));
  EXPECT_TRUE(local.api_key.empty());
  ASSERT_EQ(local.models.size(), 2u);
  EXPECT_EQ(local.models[1].alias, "local-code");
  EXPECT_EQ(local.models[1].upstream_model, "tiny-coder");

  const LaneConfig& cloud = c.lanes[1];
  EXPECT_EQ(cloud.kind, LaneKind::kManaged);
  EXPECT_EQ(cloud.endpoint.port, 443);
  EXPECT_EQ(cloud.endpoint.path_prefix, "/v1");
  EXPECT_EQ(cloud.api_key_env, "TEST_CLOUD_KEY");
  EXPECT_EQ(cloud.api_key, "sk-1");
  EXPECT_FALSE(cloud.tls.verify);
  EXPECT_EQ(cloud.deadlines.connect, Millis(2000));  // default kept

  EXPECT_EQ(c.FindLane("cloud"), &cloud);
  EXPECT_EQ(c.FindLane("nope"), nullptr);
  auto target = c.ResolveAlias("big-chat");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->lane, &cloud);
  EXPECT_EQ(target->route->upstream_model, "gpt-4o");
  EXPECT_FALSE(c.ResolveAlias("gpt-4o").has_value());
  EXPECT_EQ(c.Aliases(), (std::vector<std::string>{"local-chat", "local-code", "big-chat"}));
}

TEST(ConfigLoaderTest, DefaultsForMinimalConfig) {
  auto result = LoadConfigString(
      "lanes:\n  - {name: l, kind: local, base_url: 'http://h:1', models: [{alias: a, "
      "upstream: m}]}\n",
      "min.yaml", OptionsWithEnv({}));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Config& c = **result;
  EXPECT_EQ(c.server.listen_address, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.server.max_body_bytes, 1u << 20);
  EXPECT_EQ(c.server.io_threads, 0);
  EXPECT_EQ(c.lanes[0].provider, "openai-compatible");
  EXPECT_EQ(c.lanes[0].max_idle_connections, 32);
  EXPECT_TRUE(c.lanes[0].tls.verify);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigLoaderTest, EnvironmentExpansionInValues) {
  const std::string yaml =
      "server: {listen: '${HOST:-127.0.0.1}:${PORT}'}\n"
      "lanes:\n"
      "  - name: l\n"
      "    kind: local\n"
      "    base_url: ${LOCAL_LLM_URL:-http://127.0.0.1:8081/v1}\n"
      "    models: [{alias: a, upstream: '${MODEL}'}]\n";
  auto result = LoadConfigString(
      yaml, "env.yaml",
      OptionsWithEnv({{"PORT", "9999"}, {"MODEL", "qwen"}, {"LOCAL_LLM_URL", "http://gpu:7/x"}}));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ((*result)->server.listen_address, "127.0.0.1");
  EXPECT_EQ((*result)->server.port, 9999);
  EXPECT_EQ((*result)->lanes[0].base_url, "http://gpu:7/x");
  EXPECT_EQ((*result)->lanes[0].endpoint.host, "gpu");
  EXPECT_EQ((*result)->lanes[0].models[0].upstream_model, "qwen");
}

TEST(ConfigLoaderTest, VersionIsContentHash) {
  const std::string a =
      "lanes: [{name: l, kind: local, base_url: 'http://h', models: [{alias: "
      "a, upstream: m}]}]\n";
  auto first = LoadConfigString(a, "a.yaml", OptionsWithEnv({}));
  auto again = LoadConfigString(a, "b.yaml", OptionsWithEnv({}));
  auto changed = LoadConfigString(a + "# comment\n", "a.yaml", OptionsWithEnv({}));
  ASSERT_TRUE(first.ok() && again.ok() && changed.ok());
  EXPECT_EQ((*first)->version, (*again)->version);
  EXPECT_NE((*first)->version, (*changed)->version);
  // SHA-256("") starts with e3b0c44298fc1c14.
  EXPECT_EQ(ContentVersion(""), "e3b0c44298fc1c14");
}

TEST(ConfigLoaderTest, LoadsFileAndResolvesRelativeCaFile) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("lw_config_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ca.pem") << "not really a cert\n";
  std::ofstream(dir / "gw.yaml")
      << "lanes:\n  - name: p\n    kind: private\n    base_url: https://10.0.0.1:8443\n"
         "    tls: {ca_file: ca.pem}\n    models: [{alias: a, upstream: m}]\n";
  auto result = LoadConfigFile((dir / "gw.yaml").string(), OptionsWithEnv({}));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ((*result)->lanes[0].tls.ca_file, (dir / "ca.pem").string());
  EXPECT_EQ((*result)->source_path, (dir / "gw.yaml").string());

  auto missing = LoadConfigFile((dir / "nope.yaml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().reason(), "config_unreadable");
  auto directory = LoadConfigFile(dir.string());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().reason(), "config_unreadable");
  std::filesystem::remove_all(dir);
}

TEST(ConfigLoaderTest, WarningsAreLocated) {
  auto result = LoadConfigString(
      "lanes:\n  - name: c\n    kind: managed\n    base_url: http://example.com\n"
      "    models: [{alias: a, upstream: m}]\n",
      "w.yaml", OptionsWithEnv({}));
  ASSERT_TRUE(result.ok());
  ASSERT_EQ((*result)->warnings.size(), 1u);
  EXPECT_EQ((*result)->warnings[0],
            "w.yaml:4:15: lanes[0].base_url: a managed lane over plain http sends requests "
            "unencrypted");
}

}  // namespace
}  // namespace lanewise::config

namespace lanewise::config {
namespace {

using testing::OptionsWithEnv;

TEST(ConfigLoaderTest, ReadsTheAuditSection) {
  const std::string yaml =
      "server:\n  audit: { sqlite: audit.db, queue_capacity: 64, retention_days: 30,\n"
      "           chain_key_env: AUDIT_KEY, open_timeout_ms: 250,\n"
      "           wait_for_commit: evidence }\n"
      "lanes:\n  - { name: l, kind: local, base_url: 'http://127.0.0.1:1/v1',\n"
      "      models: [{alias: a, upstream: m}] }\n";
  LoadOptions options = OptionsWithEnv({{"AUDIT_KEY", "k3y"}});
  options.base_dir = "/var/lib/lanewise";
  auto loaded = LoadConfigString(yaml, "gw.yaml", options);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const AuditConfig& audit = (*loaded)->server.audit;
  EXPECT_EQ(audit.sqlite_path, "/var/lib/lanewise/audit.db");
  EXPECT_EQ(audit.queue_capacity, 64u);
  EXPECT_EQ(audit.retention_days, 30);
  EXPECT_EQ(audit.chain_key, "k3y");
  EXPECT_EQ(audit.open_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(audit.wait_for_commit, config::AuditConfig::CommitWait::kEvidence);

  auto no_key = LoadConfigString(yaml, "gw.yaml", OptionsWithEnv({}));
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.status().message().find("gw.yaml:3:"), std::string::npos)
      << no_key.status().message();
  EXPECT_NE(no_key.status().message().find("AUDIT_KEY is not set"), std::string::npos);
}

}  // namespace
}  // namespace lanewise::config
