#include "redact/request_redactor.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>
#include <set>

#include "config/config_loader.h"
#include "inspect/inspector.h"

namespace lanewise::redact {
namespace {

std::string PolicyYaml(const std::string& redaction, const std::string& context = "") {
  return R"(
lanes:
  - { name: local, kind: local, base_url: "http://127.0.0.1:1/v1", models: [{ alias: chat, upstream: l }] }
  - { name: cloud, kind: managed, base_url: "http://127.0.0.1:2/v1", models: [{ alias: chat, upstream: c }] }
policy:
  inspection: { gazetteer_dir: ")" LANEWISE_SOURCE_DIR R"(/data/gazetteers" }
  data_classes:
    - { name: public, crossing: allow }
    - name: confidential
      crossing: redact
)" + context +
         R"(
    - { name: restricted, lanes: [local], crossing: deny }
  classification:
    by_entity:
      - { types: ["*"], class: confidential }
)" + redaction;
}

struct RedactorSetup {
  config::ConfigPtr config;
  std::shared_ptr<const inspect::Inspector> inspector;
  std::unique_ptr<RequestRedactor> redactor;
  explicit RedactorSetup(const std::string& yaml, config::LoadOptions options = {}) {
    auto loaded = config::LoadConfigString(yaml, "test.yaml", options);
    if (!loaded.ok()) throw std::runtime_error(loaded.status().message());
    config = loaded.value();
    auto built = inspect::Inspector::Build(config->policy->inspection);
    if (!built.ok()) throw std::runtime_error(built.status().message());
    inspector = built.value();
    redactor = std::make_unique<RequestRedactor>(config, inspector);
  }
  core::Result<PreparedRequest> Prepare(const core::ChatRequest& request, bool non_local = true) {
    return redactor->Prepare(request, inspector->Inspect(request), "confidential", true, non_local);
  }
};

core::ChatRequest Request(std::string_view json, std::string session = "") {
  core::ChatRequest request;
  request.body = boost::json::parse(json).as_object();
  request.request_id = "req_test";
  request.session_id = std::move(session);
  return request;
}

const char* kEverywhere = R"({"model":"chat","messages":[
  {"role":"system","content":"Support for customer mary.jones@example.com."},
  {"role":"user","content":[{"type":"text","text":"Charge 4111 1111 1111 1111 for Jonathan Whitfield please."}]},
  {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"pay","arguments":"{\"card\":\"5555 5555 5555 4444\",\"email\":\"mary.jones@example.com\"}"}}]},
  {"role":"tool","tool_call_id":"c1","content":"paid by IBAN DE89 3704 0044 0532 0130 00"}],
  "tools":[{"type":"function","function":{"name":"pay","description":"Pays; default payer ops@example.com","parameters":{"type":"object"}}}]})";

const std::vector<std::string> kValues = {"mary.jones@example.com", "4111 1111 1111 1111",
                                          "5555 5555 5555 4444",    "DE89 3704 0044 0532 0130 00",
                                          "ops@example.com",        "Whitfield"};

TEST(RequestRedactorTest, EveryPlaceTheInspectionScansIsRewritten) {
  RedactorSetup s(PolicyYaml(""));
  auto prepared = s.Prepare(Request(kEverywhere));
  ASSERT_TRUE(prepared.ok()) << prepared.status().message();
  const std::string sent = boost::json::serialize(prepared->request.body);
  for (const auto& value : kValues) EXPECT_EQ(sent.find(value), std::string::npos) << value;
  ASSERT_NE(prepared->vault, nullptr);
  EXPECT_EQ(prepared->summary.by_type.at("EMAIL_ADDRESS"), 3);
  EXPECT_EQ(prepared->summary.by_type.at("CREDIT_CARD"), 2);
  EXPECT_EQ(prepared->summary.by_type.at("IBAN_CODE"), 1);
  // The same e-mail in the system prompt and in tool arguments: one placeholder, so two
  // distinct e-mail placeholders for three e-mail values.
  std::set<std::string> emails;
  const std::regex placeholder(R"(\[EMAIL_ADDRESS_[0-9a-f]{8}\])");
  for (auto it = std::sregex_iterator(sent.begin(), sent.end(), placeholder);
       it != std::sregex_iterator(); ++it) {
    emails.insert(it->str());
  }
  EXPECT_EQ(emails.size(), 2u);
  for (const auto& p : emails) EXPECT_NE(prepared->vault->ValueOf(p), nullptr);
  // Tool-call arguments are still valid JSON.
  const auto& args = prepared->request.body.at("messages")
                         .as_array()[2]
                         .at("tool_calls")
                         .as_array()[0]
                         .at("function")
                         .at("arguments");
  EXPECT_NO_THROW(boost::json::parse(args.as_string()));
  // The original request is untouched.
  EXPECT_NE(boost::json::serialize(Request(kEverywhere).body).find("4111"), std::string::npos);
}

// Values in numbers, object keys and JSON-encoded strings (escaped or not) are rewritten
// where they are: a number becomes a string, a key is renamed, and a tool call's
// arguments stay valid JSON with the placeholder inside the decoded value.
TEST(RequestRedactorTest, NumbersKeysAndJsonTextAreRewrittenInPlace) {
  RedactorSetup s(PolicyYaml(""));
  const char* body = R"({"model":"chat","messages":[
    {"role":"user","content":"see the call"},
    {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"pay",
      "arguments":"{\"card\": 4111111111111111, \"5555 5555 5555 4444\": \"key\",\n \"iban\": \"DE\\uff18\\uff19 3704 0044 0532 0130 00\", \"note\": \"a\\\"b mary.jones@example.com\"}"}}]},
    {"role":"tool","tool_call_id":"c1","content":"[{\"paid_by\":\"ops@example.com\"}]"}],
    "metadata":{"4012 8888 8888 1881":"x","n":378282246310005}})";
  auto prepared = s.Prepare(Request(body));
  ASSERT_TRUE(prepared.ok()) << prepared.status().message();
  const boost::json::object& sent = prepared->request.body;
  const std::string all = boost::json::serialize(sent);
  for (const char* value :
       {"4111111111111111", "5555 5555 5555 4444", "mary.jones@example.com", "ops@example.com",
        "4012 8888 8888 1881", "378282246310005", "3704 0044 0532"}) {
    EXPECT_EQ(all.find(value), std::string::npos) << value << " in " << all;
  }
  const std::regex placeholder(R"(^\[[A-Z_]+_[0-9a-f]{8}\d*\]$)");
  const auto& metadata = sent.at("metadata").as_object();
  ASSERT_EQ(metadata.size(), 2u);
  for (const auto& member : metadata) {
    if (member.value().is_string() && member.value().as_string() == "x") {
      EXPECT_TRUE(std::regex_match(std::string(member.key()), placeholder)) << member.key();
    } else {
      EXPECT_EQ(member.key(), "n");
      EXPECT_TRUE(std::regex_match(std::string(member.value().as_string()), placeholder));
    }
  }
  const std::string arguments(
      sent.at("messages").at(1).at("tool_calls").at(0).at("function").at("arguments").as_string());
  boost::system::error_code ec;
  const boost::json::value decoded = boost::json::parse(arguments, ec);
  ASSERT_FALSE(ec) << arguments;
  const auto& args = decoded.as_object();
  EXPECT_TRUE(std::regex_match(std::string(args.at("card").as_string()), placeholder));
  EXPECT_TRUE(std::regex_match(std::string(args.at("iban").as_string()), placeholder));
  const std::string note(args.at("note").as_string());
  EXPECT_EQ(note.substr(0, 4), "a\"b ");
  EXPECT_TRUE(std::regex_match(note.substr(4), placeholder)) << note;
  // Layout outside the rewritten values is kept byte for byte.
  EXPECT_NE(arguments.find(",\n \"iban\": \""), std::string::npos) << arguments;
  const std::string tool(sent.at("messages").at(2).at("content").as_string());
  const boost::json::value tool_json = boost::json::parse(tool, ec);
  ASSERT_FALSE(ec) << tool;
  // Restoring gives the values back as written.
  ASSERT_NE(prepared->vault, nullptr);
  const std::string card(args.at("card").as_string());
  ASSERT_NE(prepared->vault->ValueOf(card), nullptr);
  EXPECT_EQ(*prepared->vault->ValueOf(card), "4111111111111111");
  ASSERT_NE(prepared->vault->ValueOf(note.substr(4)), nullptr);
  EXPECT_EQ(*prepared->vault->ValueOf(note.substr(4)), "mary.jones@example.com");
}

TEST(RequestRedactorTest, PlaceholdersAreStableWithinASessionOnly) {
  RedactorSetup s(PolicyYaml(""));
  const char* json =
      R"({"model":"chat","messages":[{"role":"user","content":"mail mary.jones@example.com"}]})";
  auto a = s.Prepare(Request(json, "conv-1"));
  auto b = s.Prepare(Request(json, "conv-1"));
  auto c = s.Prepare(Request(json, "conv-2"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const auto text = [](const PreparedRequest& p) {
    return boost::json::serialize(p.request.body.at("messages"));
  };
  EXPECT_EQ(text(*a), text(*b));
  EXPECT_NE(text(*a), text(*c));
}

TEST(RequestRedactorTest, DisguisedValuesAreRemovedWhole) {
  RedactorSetup s(PolicyYaml(""));
  // Full-width digits and a zero-width space inside the card number.
  const std::string card = "４１１１ 1111\u200b 1111 1111";
  auto prepared = s.Prepare(Request(
      R"({"model":"chat","messages":[{"role":"user","content":"card )" + card + R"( ok"}]})"));
  ASSERT_TRUE(prepared.ok()) << prepared.status().message();
  const std::string sent =
      std::string(prepared->request.body.at("messages").as_array()[0].at("content").as_string());
  EXPECT_EQ(sent.find("1111"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("\u200b"), std::string::npos) << sent;
  EXPECT_EQ(*prepared->vault->ValueOf(sent.substr(5, sent.size() - 8)), card);
}

TEST(RequestRedactorTest, OperatorsPerTypeAndClass) {
  RedactorSetup s(PolicyYaml(R"(  redaction:
    operators:
      - { types: [CREDIT_CARD], operator: mask }
      - { types: [EMAIL_ADDRESS], classes: [confidential], operator: hash }
      - { types: [IBAN_CODE], operator: drop }
      - { types: [EMAIL_ADDRESS], operator: drop }
)"));
  auto prepared = s.Prepare(Request(
      R"({"model":"chat","messages":[{"role":"user","content":"card 4111 1111 1111 1111, mail ops@example.com, iban DE89 3704 0044 0532 0130 00."}]})"));
  ASSERT_TRUE(prepared.ok()) << prepared.status().message();
  const std::string sent =
      std::string(prepared->request.body.at("messages").as_array()[0].at("content").as_string());
  EXPECT_NE(sent.find("card **** **** **** 1111"), std::string::npos) << sent;
  EXPECT_NE(sent.find("mail [EMAIL_ADDRESS#"), std::string::npos) << sent;
  EXPECT_NE(sent.find("iban ."), std::string::npos) << sent;
  EXPECT_EQ(prepared->vault, nullptr);  // nothing restorable
  EXPECT_EQ(prepared->summary.by_operator.at("mask"), 1);
  EXPECT_EQ(prepared->summary.by_operator.at("hash"), 1);
  EXPECT_EQ(prepared->summary.by_operator.at("drop"), 1);
}

TEST(RequestRedactorTest, MinimumContextOnlyForNonLocalLanes) {
  RedactorSetup s(PolicyYaml("", "      minimum_context: { last_turns: 1, strip_system: true }\n"));
  const char* json =
      R"({"model":"chat","messages":[{"role":"system","content":"s"},{"role":"user","content":"old"},{"role":"user","content":"new"}]})";
  auto cloud = s.Prepare(Request(json), /*non_local=*/true);
  ASSERT_TRUE(cloud.ok());
  EXPECT_EQ(cloud->request.body.at("messages").as_array().size(), 1u);
  EXPECT_EQ(cloud->summary.messages_dropped, 2);
  EXPECT_TRUE(s.redactor->Rewrites("confidential", false, true));
  EXPECT_FALSE(s.redactor->Rewrites("confidential", false, false));
  auto local = s.redactor->Prepare(Request(json), {}, "confidential", false, false);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->request.body.at("messages").as_array().size(), 3u);
}

TEST(RequestRedactorTest, KeyFromTheEnvironmentMakesPlaceholdersReproducible) {
  config::LoadOptions options;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "LW_TEST_KEY") return std::string("a-secret-key-of-32-bytes-length!");
    return std::nullopt;
  };
  const std::string yaml = PolicyYaml("  redaction: { key_env: LW_TEST_KEY }\n");
  RedactorSetup first(yaml, options);
  RedactorSetup second(yaml, options);
  const char* json =
      R"({"model":"chat","messages":[{"role":"user","content":"mail mary.jones@example.com"}]})";
  auto a = first.Prepare(Request(json, "conv"));
  auto b = second.Prepare(Request(json, "conv"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(boost::json::serialize(a->request.body), boost::json::serialize(b->request.body));
}

TEST(RedactionConfigTest, ErrorsNameTheLineAndColumn) {
  config::LoadOptions options;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SHORT_KEY") return std::string("short");
    return std::nullopt;
  };
  auto unset = config::LoadConfigString(PolicyYaml("  redaction: { key_env: NOPE_KEY }\n"),
                                        "p.yaml", options);
  ASSERT_FALSE(unset.ok());
  EXPECT_NE(unset.status().message().find("environment variable NOPE_KEY is not set"),
            std::string::npos);
  EXPECT_NE(unset.status().message().find("p.yaml:"), std::string::npos);
  auto short_key = config::LoadConfigString(PolicyYaml("  redaction: { key_env: SHORT_KEY }\n"),
                                            "p.yaml", options);
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.status().message().find("at least 16"), std::string::npos);
  auto bad_op = config::LoadConfigString(
      PolicyYaml("  redaction:\n    operators:\n      - { types: [PERSON], operator: scramble }\n"),
      "p.yaml", options);
  ASSERT_FALSE(bad_op.ok());
  EXPECT_NE(bad_op.status().message().find("scramble"), std::string::npos)
      << bad_op.status().message();
  auto bad_class =
      config::LoadConfigString(PolicyYaml("  redaction:\n    operators:\n      - { types: "
                                          "[PERSON], classes: [secret], operator: mask }\n"),
                               "p.yaml", options);
  ASSERT_FALSE(bad_class.ok());
  EXPECT_NE(bad_class.status().message().find("unknown data class \"secret\""), std::string::npos);
}

}  // namespace
}  // namespace lanewise::redact
