// Inspector::Inspect over whole chat requests: every location, facts and shape.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <random>
#include <set>
#include <string>

#include "inspect/inspector.h"
#include "inspect/request_walker.h"

#include "custom_detector_fixtures.h"

namespace lanewise::inspect {
namespace {

const Inspector& PatternInspector() {
  static const std::shared_ptr<const Inspector> inspector = [] {
    InspectorOptions options;
    options.gazetteer_dir = "";
    return *Inspector::Build(options);
  }();
  return *inspector;
}

core::ChatRequest Request(const char* json) {
  core::ChatRequest request;
  request.body = boost::json::parse(json).as_object();
  return request;
}

// The string the entity points into, resolved with boost::json's JSON pointer support.
std::string Value(const core::ChatRequest& request, const core::Entity& e) {
  const boost::json::value body(request.body);
  const auto& s = body.at_pointer(e.location).as_string();
  return std::string(s.data() + e.start, e.end - e.start);
}

TEST(RequestTest, EveryLocation) {
  const auto request = Request(R"({
    "model": "fast",
    "user": "owner@example.com",
    "messages": [
      {"role": "system", "content": "Escalate to ops@example.com"},
      {"role": "user", "name": "bob@example.com", "content": [
        {"type": "text", "text": "my card is 4111 1111 1111 1111"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,NDExMTExMTExMTExMTExMQ=="}},
        {"type": "text", "text": "and IBAN GB82WEST12345698765432"}]},
      {"role": "assistant", "content": null, "tool_calls": [
        {"id": "call_1", "type": "function",
         "function": {"name": "lookup", "arguments": "{\"ssn\": \"536-22-1234\"}"}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "{\"phone\": \"+44 20 7946 0958\"}"},
      {"role": "assistant", "function_call": {"name": "f", "arguments": "{\"ip\": \"10.9.8.7\"}"}}
    ],
    "tools": [{"type": "function", "function": {
      "name": "lookup", "description": "Looks up AKIAZ7XQ3RJ4TWPLM2KD records",
      "parameters": {"type": "object", "properties": {
        "mode": {"type": "string", "enum": ["fast", "a@b.io"],
                 "description": "contact x@y.org"}}}}}],
    "response_format": {"type": "json_schema", "json_schema": {"name": "out", "schema": {
      "type": "object", "description": "for 00:1A:2B:3C:4D:5E"}}}
  })");
  const core::Facts facts = PatternInspector().Inspect(request);
  std::set<std::string> got;
  for (const auto& e : facts.entities) {
    got.insert(e.type + " " + e.location + " " + Value(request, e));
  }
  const std::set<std::string> expected = {
      "EMAIL_ADDRESS /user owner@example.com",
      "EMAIL_ADDRESS /messages/0/content ops@example.com",
      "EMAIL_ADDRESS /messages/1/name bob@example.com",
      "CREDIT_CARD /messages/1/content/0/text 4111 1111 1111 1111",
      "IBAN_CODE /messages/1/content/2/text GB82WEST12345698765432",
      "US_SSN /messages/2/tool_calls/0/function/arguments 536-22-1234",
      "PHONE_NUMBER /messages/3/content +44 20 7946 0958",
      "IP_ADDRESS /messages/4/function_call/arguments 10.9.8.7",
      "SECRET /tools/0/function/description AKIAZ7XQ3RJ4TWPLM2KD",
      "EMAIL_ADDRESS /tools/0/function/parameters/properties/mode/enum/1 a@b.io",
      "EMAIL_ADDRESS /tools/0/function/parameters/properties/mode/description x@y.org",
      "MAC_ADDRESS /response_format/json_schema/schema/description 00:1A:2B:3C:4D:5E",
  };
  EXPECT_EQ(got, expected);
  EXPECT_EQ(facts.entity_counts.at("EMAIL_ADDRESS"), 5);
  EXPECT_EQ(facts.max_entity_sensitivity, 4);
  EXPECT_GT(facts.sensitivity_score, 4.0);
  EXPECT_LT(facts.sensitivity_score, 5.0);
  EXPECT_TRUE(facts.needs_tools);
  EXPECT_TRUE(facts.needs_vision);
  EXPECT_EQ(facts.model_alias, "fast");
  EXPECT_GT(facts.estimated_input_tokens, 50u);
}

TEST(RequestTest, ZeroWidthSeparatorSpanCoversOriginalBytes) {
  // "4111<U+200B>1111 1111 1111" in a message: one CREDIT_CARD whose span, in the
  // original string's UTF-8 bytes, includes the three bytes of the zero-width space.
  const auto request = Request(R"({"model": "m", "messages": [
      {"role": "user", "content": "card 4111\u200b1111 1111 1111 lost"}]})");
  const core::Facts facts = PatternInspector().Inspect(request);
  ASSERT_EQ(facts.entities.size(), 1u);
  const core::Entity& e = facts.entities[0];
  EXPECT_EQ(e.type, "CREDIT_CARD");
  EXPECT_EQ(e.location, "/messages/0/content");
  EXPECT_EQ(e.start, 5u);
  EXPECT_EQ(e.end, 26u);
  EXPECT_EQ(Value(request, e),
            "4111\xE2\x80\x8B"
            "1111 1111 1111");
}

TEST(RequestTest, PlainRequestFacts) {
  auto request = Request(
      R"({"model": "m", "messages": [{"role": "user", "content": "Hello there, how are you?"}]})");
  request.model_alias = "smart";
  request.declared_data_class = "internal";
  request.tenant = "t1";
  request.latency_tier = core::LatencyTier::kBatch;
  const core::Facts facts = PatternInspector().Inspect(request);
  EXPECT_TRUE(facts.entities.empty());
  EXPECT_EQ(facts.sensitivity_score, 0.0);
  EXPECT_EQ(facts.max_entity_sensitivity, 0);
  EXPECT_FALSE(facts.needs_tools);
  EXPECT_FALSE(facts.needs_vision);
  EXPECT_EQ(facts.estimated_input_tokens, 7u);  // 25 bytes / 4, rounded up
  EXPECT_EQ(facts.model_alias, "smart");
  EXPECT_EQ(facts.declared_data_class, "internal");
  EXPECT_EQ(facts.tenant, "t1");
  EXPECT_EQ(facts.latency_tier, core::LatencyTier::kBatch);
}

// Inspect keeps per-thread buffers between requests; a request too large to keep them
// for releases them. Either way each request's entities are its own.
TEST(RequestTest, LargeRequestThenSmallOne) {
  boost::json::array messages;
  for (int i = 0; i < 5000; ++i) {
    messages.push_back(boost::json::object{
        {"role", "user"}, {"content", "write to a" + std::to_string(i) + "@example.com"}});
  }
  core::ChatRequest large;
  large.body = boost::json::object{{"model", "m"}, {"messages", messages}};
  const core::Facts many = PatternInspector().Inspect(large);
  ASSERT_EQ(many.entities.size(), 5000u);
  EXPECT_EQ(many.entities.back().location, "/messages/4999/content");
  EXPECT_EQ(many.entity_counts.at("EMAIL_ADDRESS"), 5000);

  const auto small =
      Request(R"({"model": "m", "messages": [{"role": "user", "content": "mail b@example.org"}]})");
  const core::Facts one = PatternInspector().Inspect(small);
  ASSERT_EQ(one.entities.size(), 1u);
  EXPECT_EQ(one.entities[0].location, "/messages/0/content");
  EXPECT_EQ(Value(small, one.entities[0]), "b@example.org");
}

TEST(RequestTest, ToolChoiceNoneDoesNotNeedTools) {
  const auto request = Request(R"({"messages": [], "tool_choice": "none",
    "tools": [{"type": "function", "function": {"name": "f"}}]})");
  EXPECT_FALSE(PatternInspector().Inspect(request).needs_tools);
}

TEST(RequestTest, PointerEscaping) {
  std::string pointer;
  AppendPointerToken(pointer, "a/b~c");
  EXPECT_EQ(pointer, "a~1b~0c");
  const auto request = Request(R"({"metadata": {"a/b": "mail me: z@z.io"}})");
  const core::Facts facts = PatternInspector().Inspect(request);
  ASSERT_EQ(facts.entities.size(), 1u);
  EXPECT_EQ(facts.entities[0].location, "/metadata/a~1b");
}

// What the walk visits: every string but the validated vocabulary and the model alias,
// numbers of six characters or more as digits, free-form objects' keys (with the key
// suffix), base64 payloads skipped only when they are base64.
TEST(RequestTest, WalkVisitsEveryTextButTheVocabulary) {
  const auto body = boost::json::parse(R"({
    "model": "4111111111111111", "user": "u-1", "max_tokens": 256, "seed": 4111111111111111,
    "temperature": 1e15, "stop": ["END", "auto"],
    "messages": [
      {"role": "user", "name": "n", "content": [{"type": "text", "text": "hi"},
        {"type": "input_audio", "input_audio": {"data": "QUJDRA==", "format": "wav"}},
        {"type": "file", "file": {"file_data": "not base64: 4111 1111", "filename": "f.txt"}},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0K"}}]},
      {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
        "function": {"name": "pay", "arguments": "{}"}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "done"}],
    "metadata": {"k/1": "v", "user": "x"},
    "tools": [{"type": "function", "function": {"name": "pay", "parameters": {"type": "object",
      "properties": {"card_no": {"type": "string", "enum": ["a"]}}}}}]
  })")
                        .as_object();
  std::map<std::string, std::string> visited;
  WalkRequest(body, [&](const std::string& pointer, std::string_view text) {
    visited[pointer] = std::string(text);
  });
  const std::map<std::string, std::string> expected = {
      {"/user", "u-1"},
      {"/seed", "4111111111111111"},
      {"/temperature", "1000000000000000"},
      {"/stop/0", "END"},
      {"/messages/0/name", "n"},
      {"/messages/0/content/0/text", "hi"},
      {"/messages/0/content/2/file/file_data", "not base64: 4111 1111"},
      {"/messages/0/content/2/file/filename", "f.txt"},
      {"/messages/1/tool_calls/0/id", "call_1"},
      {"/messages/1/tool_calls/0/function/name", "pay"},
      {"/messages/1/tool_calls/0/function/arguments", "{}"},
      {"/messages/2/tool_call_id", "call_1"},
      {"/messages/2/content", "done"},
      {"/metadata/k~11~k", "k/1"},
      {"/metadata/k~11", "v"},
      {"/metadata/user", "x"},
      {"/tools/0/function/name", "pay"},
      {"/tools/0/function/parameters/properties/card_no~k", "card_no"},
      {"/tools/0/function/parameters/properties/card_no/enum/0", "a"},
  };
  EXPECT_EQ(visited, expected);
}

TEST(RequestTest, NumbersReadAsTheirDigits) {
  EXPECT_EQ(NumberText(boost::json::value(std::int64_t{-42})), "-42");
  EXPECT_EQ(NumberText(boost::json::value(std::uint64_t{18446744073709551615ULL})),
            "18446744073709551615");
  EXPECT_EQ(NumberText(boost::json::value(4111111111111111.0)), "4111111111111111");
  EXPECT_EQ(NumberText(boost::json::value(0.5)), "5E-1");
}

// A card written as a number, a key or an id is found where it is.
TEST(RequestTest, FindsValuesInNumbersKeysAndIds) {
  const auto request = Request(R"({"messages": [{"role": "user", "content": "hi"},
    {"role": "assistant", "tool_calls": [{"id": "4111 1111 1111 1111", "type": "function",
      "function": {"name": "f", "arguments": "{}"}}]}],
    "metadata": {"card": 5555555555554444, "4012 8888 8888 1881": "x"}})");
  const core::Facts facts = PatternInspector().Inspect(request);
  std::set<std::string> where;
  for (const auto& e : facts.entities) {
    if (e.type == "CREDIT_CARD") where.insert(e.location);
  }
  EXPECT_EQ(where, (std::set<std::string>{"/messages/1/tool_calls/0/id", "/metadata/card",
                                          "/metadata/4012 8888 8888 1881~k"}));
}

TEST(RequestTest, ScoreRisesWithEntities) {
  const auto one = PatternInspector().Inspect(
      Request(R"({"messages": [{"role": "user", "content": "mail a@b.io"}]})"));
  const auto two = PatternInspector().Inspect(
      Request(R"({"messages": [{"role": "user", "content": "mail a@b.io or c@d.io"}]})"));
  const auto card = PatternInspector().Inspect(Request(
      R"({"messages": [{"role": "user", "content": "mail a@b.io or c@d.io, card 4111111111111111"}]})"));
  EXPECT_DOUBLE_EQ(one.sensitivity_score, 2.0);
  EXPECT_GT(two.sensitivity_score, one.sensitivity_score);
  EXPECT_GT(card.sensitivity_score, two.sensitivity_score);
  EXPECT_EQ(card.max_entity_sensitivity, 3);
}

}  // namespace
}  // namespace lanewise::inspect

namespace lanewise::inspect {
namespace {

// Inspectors with custom detectors: term lists only (Inspect scans them in its one
// Hyperscan call per request) and with a pattern (scanned string by string).
std::shared_ptr<const Inspector> CustomInspector(bool with_pattern) {
  InspectorOptions options;
  options.gazetteer_dir = "";
  options.custom_detectors.push_back(TermDetector(
      "clients", "CLIENT_NAME", 3, {"Acme Holdings", "Northwind", "Zürich Re", "x-42"}));
  if (with_pattern) {
    options.custom_detectors.push_back(
        PatternDetector("codes", "PROJECT_CODE", 2, "^ZX-[0-9]{2}|[0-9]{2}.[A-Z]{2}$"));
  }
  auto built = Inspector::Build(options);
  EXPECT_TRUE(built.ok()) << built.status().message();
  return built.ok() ? *built : nullptr;
}

// Inspect scans the request's strings together (one Hyperscan call over all of them);
// the entities must be exactly those of scanning each string alone, whatever sits at the
// strings' edges. Random requests of 1-12 messages built from fragments that start or
// end with entities, separators and partial shapes.
void ExpectWholeRequestEqualsEachStringAlone(const Inspector& inspector, unsigned int seed) {
  const char* fragments[] = {
      "4111 1111 1111 1111", "maria.gonzalez@example.com", "+44 20 7946 0958", "::", "192.168.1.24",
      "GB82 WEST 1234 5698 7654 32", "078-05-1120", "fe80::1", "password: hunter2",
      "sk-ant-abcdefghijklmnopqrstuv", "https://example.com/x", "AB 12 34 56 C",
      "born on 12/03/1985", "MRN 12345678", "0x52908400098527886E0F7030069857D2E4169EE7",
      "ab:cd:ef:01:23:45", "1", "@", "-", ".", " ", "x", "é", "\u200b",
      "Ｔｅｌ：０３－１２３４－５６７８", "tel", "call me", "12", "card", "IBAN",
      // halves of entities, which must not join across two strings
      "password", ": s3cr3t-value", "https://", "example.com", "eyJhbGciOiJIUzI1NiJ9",
      ".eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl", "ab:cd:ef", ":01:23:45", "medical record", "# 4821-77",
      "fe80:", ":1",
      // custom terms and patterns, whole and in halves
      "Acme Holdings", "Acme", " Holdings", "NORTHWIND", "zürich re", "x-42", "ZX-12", "ZX-", "34",
      "56 AB", "AB"};
  std::mt19937 random(seed);
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  for (int round = 0; round < 400; ++round) {
    boost::json::array messages;
    const std::size_t count = 1 + pick(12);
    for (std::size_t m = 0; m < count; ++m) {
      std::string text;
      const std::size_t parts = pick(5);
      for (std::size_t p = 0; p < parts; ++p) text += fragments[pick(std::size(fragments))];
      messages.push_back(boost::json::object{{"role", "user"}, {"content", text}});
    }
    core::ChatRequest request;
    request.body = boost::json::object{{"model", "m"}, {"messages", messages}};

    std::multiset<std::string> alone;
    WalkRequest(request.body, [&](const std::string& pointer, std::string_view text) {
      for (const Detection& d : inspector.ScanText(text)) {
        alone.insert(pointer + " " + d.type + " " + std::to_string(d.start) + "-" +
                     std::to_string(d.end));
      }
    });
    std::multiset<std::string> together;
    for (const core::Entity& e : inspector.Inspect(request).entities) {
      together.insert(e.location + " " + e.type + " " + std::to_string(e.start) + "-" +
                      std::to_string(e.end));
    }
    ASSERT_EQ(together, alone) << boost::json::serialize(request.body);
  }
}

TEST(RequestTest, WholeRequestEqualsEachStringAlone) {
  ExpectWholeRequestEqualsEachStringAlone(PatternInspector(), 20261202);
}

TEST(RequestTest, WholeRequestEqualsEachStringAloneWithCustomTerms) {
  const auto terms = CustomInspector(/*with_pattern=*/false);
  ExpectWholeRequestEqualsEachStringAlone(*terms, 20261203);
  // The terms are found at all (the comparison above would pass if neither found them).
  const auto request = Request(
      R"({"model": "m", "messages": [{"role": "user", "content": "for Acme Holdings"},
                                     {"role": "user", "content": "and northwind"}]})");
  EXPECT_EQ(terms->Inspect(request).entity_counts.at("CLIENT_NAME"), 2);
}

TEST(RequestTest, WholeRequestEqualsEachStringAloneWithCustomPattern) {
  const auto patterns = CustomInspector(/*with_pattern=*/true);
  ExpectWholeRequestEqualsEachStringAlone(*patterns, 20261204);
  const auto request = Request(
      R"({"model": "m", "messages": [{"role": "user", "content": "ZX-12 for Acme Holdings"},
                                     {"role": "user", "content": "ZX-34"}]})");
  const core::Facts facts = patterns->Inspect(request);
  EXPECT_EQ(facts.entity_counts.at("PROJECT_CODE"), 2);  // anchored at each string's start
  EXPECT_EQ(facts.entity_counts.at("CLIENT_NAME"), 1);
}

}  // namespace
}  // namespace lanewise::inspect
