// Every class of config error, with its exact 1-based line:column.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "test_env.h"

namespace lanewise::config {
namespace {

using testing::LoadError;
using testing::OptionsWithEnv;

// Two lanes; line numbers below refer to this text with one line substituted.
std::string TwoLanes(const std::string& second_lane_kind_line = "    kind: managed") {
  return "server:\n"                                   // 1
         "  listen: 127.0.0.1:8080\n"                  // 2
         "lanes:\n"                                    // 3
         "  - name: local\n"                           // 4
         "    kind: local\n"                           // 5
         "    base_url: http://127.0.0.1:8081/v1\n"    // 6
         "    models:\n"                               // 7
         "      - alias: local-chat\n"                 // 8
         "        upstream: tiny\n"                    // 9
         "  - name: cloud\n"                           // 10
         "    base_url: https://api.example.com/v1\n"  // 11
         + second_lane_kind_line + "\n" +              // 12
         "    models:\n"                               // 13
         "      - alias: big\n"                        // 14
         "        upstream: gpt\n";                    // 15
}

TEST(ConfigErrorsTest, BaselineLoads) {
  EXPECT_EQ(LoadError(TwoLanes()), "");
}

TEST(ConfigErrorsTest, BadEnumValue) {
  EXPECT_EQ(LoadError(TwoLanes("    kind: cloud")),
            "test.yaml:12:11: lanes[1].kind: expected one of local, private, managed, got "
            "\"cloud\"");
}

TEST(ConfigErrorsTest, UnknownKeyPointsAtTheKey) {
  EXPECT_EQ(LoadError(TwoLanes("    kind: managed\n    colour: blue")),
            "test.yaml:13:5: lanes[1]: unknown key \"colour\" (expected one of: name, kind, "
            "provider, base_url, api_key_env, tls, max_idle_connections, max_event_bytes, "
            "deadlines, models, price, slots, capacity)");
  EXPECT_EQ(LoadError("lanes: []\nextra: 1\n"),
            "test.yaml:2:1: unknown key \"extra\" (expected one of: server, lanes, policy)");
}

TEST(ConfigErrorsTest, LiteralApiKeyRefused) {
  const std::string err = LoadError(TwoLanes("    kind: managed\n    api_key: sk-123"));
  EXPECT_EQ(err.rfind("test.yaml:13:14: lanes[1].api_key: a literal api_key is refused", 0), 0u)
      << err;
  EXPECT_NE(err.find("api_key_env"), std::string::npos);
  EXPECT_EQ(err.find("sk-123"), std::string::npos) << "the key itself must not be echoed";
}

TEST(ConfigErrorsTest, ApiKeyEnvMustBeSet) {
  const std::string yaml = TwoLanes("    kind: managed\n    api_key_env: LW_TEST_UNSET_KEY");
  EXPECT_EQ(LoadError(yaml),
            "test.yaml:13:18: lanes[1].api_key_env: environment variable LW_TEST_UNSET_KEY is "
            "not set");
  EXPECT_EQ(LoadError(yaml, OptionsWithEnv({{"LW_TEST_UNSET_KEY", "k"}})), "");
  EXPECT_EQ(LoadError(TwoLanes("    kind: managed\n    api_key_env: not-a-name")),
            "test.yaml:13:18: lanes[1].api_key_env: expected an environment variable name, "
            "got \"not-a-name\"");
}

TEST(ConfigErrorsTest, UnsetVariableWithoutDefault) {
  EXPECT_EQ(LoadError("lanes:\n  - name: l\n    kind: local\n    base_url: ${NO_SUCH_URL}\n"
                      "    models: [{alias: a, upstream: m}]\n"),
            "test.yaml:4:15: lanes[0].base_url: environment variable NO_SUCH_URL is not set "
            "(write ${NO_SUCH_URL:-default} to give a default)");
}

TEST(ConfigErrorsTest, YamlSyntaxErrorHasPosition) {
  const std::string err = LoadError("lanes:\n  - name: l\n    kind: [local\n");
  EXPECT_EQ(err.rfind("test.yaml:4:1: YAML syntax error: ", 0), 0u) << err;
  EXPECT_EQ(LoadError("server:\n  io_threads: 1: 2\n"),
            "test.yaml:2:16: YAML syntax error: illegal map value");
  EXPECT_EQ(LoadError("lanes:\n  - name: a\n   kind: local\n"),
            "test.yaml:3:4: YAML syntax error: end of sequence not found");
}

TEST(ConfigErrorsTest, MissingRequiredKeys) {
  EXPECT_EQ(LoadError("server: {io_threads: 2}\n"),
            "test.yaml:1:1: missing required key \"lanes\"");
  EXPECT_EQ(LoadError("lanes: []\n"), "test.yaml:1:8: lanes: expected a non-empty list");
  EXPECT_EQ(LoadError("lanes:\n  - name: l\n    base_url: http://h\n    models: [{alias: a, "
                      "upstream: m}]\n"),
            "test.yaml:2:5: lanes[0]: missing required key \"kind\"");
  EXPECT_EQ(LoadError("lanes:\n  - name: l\n    kind:\n    base_url: http://h\n"),
            "test.yaml:3:5: lanes[0].kind: expected a value, got nothing");
  EXPECT_EQ(LoadError("lanes:\n  - name: l\n    kind: local\n    base_url: http://h\n"
                      "    models: []\n"),
            "test.yaml:5:13: lanes[0].models: expected a non-empty list");
  EXPECT_EQ(LoadError("lanes:\n  - name: l\n    kind: local\n    base_url: http://h\n"
                      "    models:\n      - alias: a\n"),
            "test.yaml:6:9: lanes[0].models[0]: missing required key \"upstream\"");
  EXPECT_EQ(LoadError(""), "test.yaml:1:1: the file is empty; expected at least a lanes list");
}

TEST(ConfigErrorsTest, WrongShapes) {
  EXPECT_EQ(LoadError("- a\n- b\n"), "test.yaml:1:1: expected a mapping (key: value)");
  EXPECT_EQ(LoadError("lanes: local\n"), "test.yaml:1:8: lanes: expected a list");
  EXPECT_EQ(LoadError("server: {io_threads: [1]}\nlanes: []\n"),
            "test.yaml:1:22: server.io_threads: expected a single value, not a list or mapping");
}

TEST(ConfigErrorsTest, NumbersAndBooleans) {
  EXPECT_EQ(LoadError("server:\n  io_threads: many\n"),
            "test.yaml:2:15: server.io_threads: expected an integer, got \"many\"");
  EXPECT_EQ(LoadError("server:\n  max_body_bytes: 0\n"),
            "test.yaml:2:19: server.max_body_bytes: must be between 1 and 1073741824, got 0");
  EXPECT_EQ(LoadError(TwoLanes("    kind: managed\n    tls: {verify: yes}")),
            "test.yaml:13:19: lanes[1].tls.verify: expected true or false, got \"yes\"");
  EXPECT_EQ(LoadError(TwoLanes("    kind: managed\n    deadlines: {connect_ms: -1}")),
            "test.yaml:13:29: lanes[1].deadlines.connect_ms: must be between 1 and 86400000, "
            "got -1");
}

TEST(ConfigErrorsTest, NamesAndDuplicates) {
  EXPECT_EQ(LoadError("lanes:\n  - name: Local Lane\n"),
            "test.yaml:2:11: lanes[0].name: lane names use only a-z, 0-9, '_' and '-' (at most "
            "64), got \"Local Lane\"");
  std::string dup = TwoLanes();
  dup.replace(dup.find("name: cloud"), 11, "name: local");
  EXPECT_EQ(LoadError(dup),
            "test.yaml:10:11: lanes[1].name: duplicate lane name \"local\" (first at "
            "test.yaml:4:11)");
  std::string dup_alias = TwoLanes();
  dup_alias.replace(dup_alias.find("alias: big"), 10, "alias: local-chat");
  EXPECT_EQ(LoadError(dup_alias),
            "test.yaml:14:16: lanes[1].models[0].alias: alias \"local-chat\" is already served "
            "by lane \"local\" at test.yaml:8:9; without a policy section an alias must be "
            "unique across lanes");
  EXPECT_EQ(LoadError("server:\n  io_threads: 1\n  io_threads: 2\n"),
            "test.yaml:3:3: server: duplicate key \"io_threads\"");
  EXPECT_EQ(LoadError("lanes:\n  - name: l\n    kind: local\n    base_url: http://h\n"
                      "    models: [{alias: a, upstream: m}, {alias: a, upstream: n}]\n"),
            "test.yaml:5:47: lanes[0].models[1].alias: duplicate alias \"a\" in this lane "
            "(first at test.yaml:5:22)");
}

TEST(ConfigErrorsTest, UrlAndListenErrors) {
  EXPECT_EQ(LoadError(TwoLanes("    kind: managed\n    base_url: ftp://x")),
            "test.yaml:13:5: lanes[1]: duplicate key \"base_url\"");
  std::string bad_url = TwoLanes();
  bad_url.replace(bad_url.find("https://api.example.com/v1"), 26, "https://u:p@api.example.com");
  const std::string err = LoadError(bad_url);
  EXPECT_EQ(err.rfind("test.yaml:11:15: lanes[1].base_url: credentials in the URL are not "
                      "allowed",
                      0),
            0u)
      << err;
  std::string bad_scheme = TwoLanes();
  bad_scheme.replace(bad_scheme.find("https://api.example.com/v1"), 26, "ws://api.example.com");
  EXPECT_EQ(LoadError(bad_scheme),
            "test.yaml:11:15: lanes[1].base_url: URL scheme must be http or https, got \"ws\"");
  EXPECT_EQ(LoadError("server:\n  listen: localhost\n"),
            "test.yaml:2:11: server.listen: expected \"host:port\", got \"localhost\"");
}

TEST(ConfigErrorsTest, TlsCaFileMustExist) {
  EXPECT_EQ(LoadError(TwoLanes("    kind: managed\n    tls:\n      ca_file: /no/such/ca.pem")),
            "test.yaml:14:16: lanes[1].tls.ca_file: CA file \"/no/such/ca.pem\" does not exist "
            "or is not a regular file");
}

TEST(ConfigErrorsTest, ProviderValues) {
  EXPECT_EQ(LoadError(TwoLanes("    kind: managed\n    provider: anthropic")),
            "test.yaml:13:15: lanes[1].provider: expected one of openai-compatible, got "
            "\"anthropic\"");
}

}  // namespace
}  // namespace lanewise::config
