// Token logprobs restored like the text they spell: whole answers and streams, placeholders
// cut into tokens at every place, bytes recomputed, alternatives restored.
#include "redact/logprobs_restorer.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "redact/restorer.h"
#include "redact/stream_restorer.h"

namespace lanewise::redact {
namespace {

namespace json = boost::json;

json::object Entry(std::string_view token) {
  json::object entry;
  entry["token"] = token;
  entry["logprob"] = -0.5;
  json::array bytes;
  for (unsigned char c : token) bytes.push_back(static_cast<std::int64_t>(c));
  entry["bytes"] = std::move(bytes);
  entry["top_logprobs"] = json::array{};
  return entry;
}

std::string Spelled(const json::array& entries) {
  std::string out;
  for (const auto& e : entries) {
    const std::string token(e.at("token").as_string());
    std::string bytes;
    for (const auto& b : e.at("bytes").as_array()) bytes.push_back(static_cast<char>(b.as_int64()));
    EXPECT_EQ(bytes, token);
    out += token;
  }
  return out;
}

struct Fixture {
  std::shared_ptr<PlaceholderVault> vault =
      std::make_shared<PlaceholderVault>("0123456789abcdef", "req:logprobs");
  std::string ada = vault->PlaceholderFor("PERSON", "Ada Lovelace");
  std::string card = vault->PlaceholderFor("CREDIT_CARD", "4111 1111 1111 1111");
};

// Splits `text` into tokens of 1..5 bytes.
json::array Tokens(std::string_view text, std::mt19937& rng) {
  json::array out;
  std::uniform_int_distribution<std::size_t> size(1, 5);
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t n = std::min(size(rng), text.size() - at);
    out.push_back(Entry(text.substr(at, n)));
    at += n;
  }
  return out;
}

TEST(LogprobsRestorerTest, WholeAnswerEntriesSpellTheRestoredText) {
  Fixture f;
  const std::string lane_text = "Hi " + f.ada + ", card " + f.card + "." + f.ada + "[x]";
  const std::string restored = "Hi Ada Lovelace, card 4111 1111 1111 1111.Ada Lovelace[x]";
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    json::array entries = Tokens(lane_text, rng);
    const std::size_t count = entries.size();
    RestoreTokenEntries(entries, *f.vault);
    EXPECT_EQ(entries.size(), count);
    EXPECT_EQ(Spelled(entries), restored);
  }
}

TEST(LogprobsRestorerTest, CompletionBodyAndAlternatives) {
  Fixture f;
  json::object alternative = Entry(f.ada);
  json::object first = Entry(f.ada);
  first["top_logprobs"] = json::array{alternative};
  json::object body;
  json::object message;
  message["role"] = "assistant";
  message["content"] = f.ada + "!";
  json::object logprobs;
  logprobs["content"] = json::array{first, Entry("!")};
  json::object choice;
  choice["index"] = 0;
  choice["message"] = message;
  choice["logprobs"] = logprobs;
  body["choices"] = json::array{choice};
  auto out = RestoreCompletionBody(json::serialize(body), *f.vault);
  ASSERT_TRUE(out.ok());
  const json::value doc = json::parse(*out);
  const auto& lp = doc.at("choices").at(0).at("logprobs").at("content").as_array();
  EXPECT_EQ(Spelled(lp), "Ada Lovelace!");
  EXPECT_EQ(lp.at(0).at("top_logprobs").at(0).at("token").as_string(), "Ada Lovelace");
  EXPECT_EQ(json::serialize(doc).find(f.ada), std::string::npos);
}

std::string Chunk(const json::array& entries, const char* finish) {
  std::string text;
  for (const auto& e : entries) text += e.at("token").as_string();
  json::object delta;
  delta["content"] = text;
  json::object logprobs;
  logprobs["content"] = entries;
  json::object choice;
  choice["index"] = 0;
  choice["delta"] = delta;
  choice["logprobs"] = logprobs;
  choice["finish_reason"] = finish == nullptr ? json::value(nullptr) : json::value(finish);
  json::object root;
  root["id"] = "c";
  root["object"] = "chat.completion.chunk";
  root["created"] = 1;
  root["model"] = "m";
  root["choices"] = json::array{choice};
  return json::serialize(root);
}

// Streams cut at random: the released entries spell exactly the restored text, in order,
// and no placeholder goes out.
TEST(LogprobsRestorerPropertyTest, StreamedEntriesSpellTheRestoredText) {
  Fixture f;
  const std::string lane_text = "A " + f.card + " and " + f.ada + f.ada + " [PERSON_" + " end";
  const std::string restored = "A 4111 1111 1111 1111 and Ada LovelaceAda Lovelace [PERSON_ end";
  std::mt19937 rng(11);
  for (int round = 0; round < 500; ++round) {
    const json::array entries = Tokens(lane_text, rng);
    StreamRestorer restorer(f.vault);
    json::array released;
    std::string content;
    const bool finish_in_stream = round % 2 == 0;
    auto take = [&](const std::string& chunk) {
      const json::value doc = json::parse(chunk);
      for (const auto& choice : doc.at("choices").as_array()) {
        if (const auto* d = choice.at("delta").as_object().if_contains("content")) {
          content += d->as_string();
        }
        const auto* lp = choice.as_object().if_contains("logprobs");
        if (lp == nullptr || !lp->is_object()) continue;
        for (const auto& e : lp->at("content").as_array()) released.push_back(e);
      }
    };
    std::uniform_int_distribution<std::size_t> group(1, 4);
    for (std::size_t at = 0; at < entries.size();) {
      const std::size_t n = std::min(group(rng), entries.size() - at);
      json::array piece(entries.begin() + static_cast<std::ptrdiff_t>(at),
                        entries.begin() + static_cast<std::ptrdiff_t>(at + n));
      at += n;
      const bool last = at == entries.size();
      take(restorer.OnChunk(Chunk(piece, last && finish_in_stream ? "stop" : nullptr)));
    }
    if (auto rest = restorer.Finish()) take(*rest);
    EXPECT_EQ(released.size(), entries.size()) << round;
    EXPECT_EQ(Spelled(released), restored) << round;
    EXPECT_EQ(content, restored) << round;
  }
}

}  // namespace
}  // namespace lanewise::redact
