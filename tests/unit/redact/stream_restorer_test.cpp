#include "redact/stream_restorer.h"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "redact/restorer.h"

namespace lanewise::redact {
namespace {

namespace json = boost::json;

std::string ContentChunk(std::string_view piece, const char* finish = nullptr) {
  json::object delta;
  delta["content"] = piece;
  json::object choice;
  choice["index"] = 0;
  choice["delta"] = std::move(delta);
  if (finish != nullptr) {
    choice["finish_reason"] = finish;
  } else {
    choice["finish_reason"] = nullptr;
  }
  json::object root;
  root["id"] = "chatcmpl-1";
  root["object"] = "chat.completion.chunk";
  root["created"] = 1;
  root["model"] = "m";
  root["choices"] = json::array{std::move(choice)};
  return json::serialize(root);
}

std::string ToolChunk(std::int64_t tool_index, std::string_view piece) {
  json::object root = json::parse(ContentChunk("")).as_object();
  json::object& delta = root["choices"].as_array()[0].as_object()["delta"].as_object();
  delta.erase("content");
  json::object function;
  function["arguments"] = piece;
  json::object call;
  call["index"] = tool_index;
  call["function"] = std::move(function);
  delta["tool_calls"] = json::array{std::move(call)};
  return json::serialize(root);
}

// What the client sees of one channel: every content delta, concatenated.
struct Collected {
  std::string content;
  std::map<std::int64_t, std::string> tools;
  void Add(const std::string& chunk) {
    auto doc = json::parse(chunk);
    for (const auto& choice : doc.at("choices").as_array()) {
      const auto& delta = choice.at("delta").as_object();
      if (auto* c = delta.if_contains("content"); c && c->is_string()) content += c->as_string();
      if (auto* calls = delta.if_contains("tool_calls")) {
        for (const auto& call : calls->as_array()) {
          tools[call.at("index").as_int64()] +=
              std::string(call.at("function").at("arguments").as_string());
        }
      }
    }
  }
};

std::shared_ptr<PlaceholderVault> MakeVault(std::vector<std::string>& placeholders) {
  auto vault = std::make_shared<PlaceholderVault>("0123456789abcdef", "req:stream");
  placeholders.push_back(vault->PlaceholderFor("PERSON", "Ada Lovelace"));
  placeholders.push_back(vault->PlaceholderFor("CREDIT_CARD", "4111 1111 1111 1111"));
  placeholders.push_back(vault->PlaceholderFor("EMAIL_ADDRESS", "a\"b@example.org"));
  placeholders.push_back(vault->PlaceholderFor("PERSON", "Grace Hopper"));
  return vault;
}

TEST(StreamRestorerTest, PlaceholderSplitAcrossEveryPositionIsRestored) {
  std::vector<std::string> placeholders;
  auto vault = MakeVault(placeholders);
  const std::string text = "Hello " + placeholders[0] + "!";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    StreamRestorer restorer(vault);
    Collected seen;
    seen.Add(restorer.OnChunk(ContentChunk(text.substr(0, cut))));
    seen.Add(restorer.OnChunk(ContentChunk(text.substr(cut), "stop")));
    EXPECT_EQ(seen.content, "Hello Ada Lovelace!") << cut;
    EXPECT_FALSE(restorer.Finish().has_value());
  }
}

TEST(StreamRestorerTest, TextThatCannotBeAPlaceholderIsNotHeldBack) {
  std::vector<std::string> placeholders;
  auto vault = MakeVault(placeholders);
  StreamRestorer restorer(vault);
  Collected seen;
  seen.Add(restorer.OnChunk(ContentChunk("array[0] = x; see [")));
  EXPECT_EQ(seen.content, "array[0] = x; see ");  // only the '[' might start one
  seen.Add(restorer.OnChunk(ContentChunk("note]")));
  EXPECT_EQ(seen.content, "array[0] = x; see [note]");
  EXPECT_EQ(restorer.held_bytes(), 0u);
}

TEST(StreamRestorerTest, HeldBytesGoOutBeforeDoneWhenNoChoiceFinished) {
  std::vector<std::string> placeholders;
  auto vault = MakeVault(placeholders);
  StreamRestorer restorer(vault);
  Collected seen;
  seen.Add(restorer.OnChunk(ContentChunk("cut " + placeholders[1].substr(0, 5))));
  EXPECT_EQ(seen.content, "cut ");
  auto last = restorer.Finish();
  ASSERT_TRUE(last.has_value());
  seen.Add(*last);
  EXPECT_EQ(seen.content, "cut " + placeholders[1].substr(0, 5));
  EXPECT_EQ(json::parse(*last).at("id").as_string(), "chatcmpl-1");
}

TEST(StreamRestorerTest, ToolArgumentsAreRestoredJsonEscaped) {
  std::vector<std::string> placeholders;
  auto vault = MakeVault(placeholders);
  StreamRestorer restorer(vault);
  Collected seen;
  const std::string args = R"({"to":")" + placeholders[2] + R"("})";
  for (char c : args) seen.Add(restorer.OnChunk(ToolChunk(1, std::string(1, c))));
  seen.Add(restorer.OnChunk(ContentChunk("", "tool_calls")));
  EXPECT_EQ(json::parse(seen.tools[1]).at("to").as_string(), "a\"b@example.org");
}

TEST(StreamRestorerTest, UsageChunkAndChunksWithoutBracketsPassUnchanged) {
  std::vector<std::string> placeholders;
  auto vault = MakeVault(placeholders);
  StreamRestorer restorer(vault);
  const std::string usage = R"({"id":"x","choices":[],"usage":{"total_tokens":5}})";
  EXPECT_EQ(restorer.OnChunk(usage), usage);
  const std::string plain = ContentChunk("plain words");
  EXPECT_EQ(restorer.OnChunk(plain), plain);
}

// Property: for random texts mixing the vault's placeholders, unknown look-alikes and
// brackets, cut into random pieces across random chunk boundaries, the client receives
// exactly the restored text, and never more than one placeholder's length is held back.
TEST(StreamRestorerPropertyTest, RandomSplitsAlwaysRestoreExactly) {
  std::vector<std::string> placeholders;
  auto vault = MakeVault(placeholders);
  const std::vector<std::string> noise = {
      "[", "]",  "[PERSON_", "[PERSON_1234abcd]", "[CREDIT", "x", " ",
      "ü", "[[", "text ",    "[EMAIL_ADDRESS_"};
  std::mt19937 rng(20261122);
  for (int round = 0; round < 10000; ++round) {
    std::string text;
    const int parts = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < parts; ++i) {
      if (rng() % 2 == 0) {
        text += placeholders[rng() % placeholders.size()];
      } else {
        text += noise[rng() % noise.size()];
      }
    }
    StreamRestorer restorer(vault);
    Collected seen;
    std::size_t at = 0;
    while (at < text.size()) {
      std::size_t len = 1 + rng() % 9;
      // Keep UTF-8 code points whole, as a lane's JSON chunks do.
      while (at + len < text.size() &&
             (static_cast<unsigned char>(text[at + len]) & 0xC0) == 0x80) {
        ++len;
      }
      seen.Add(restorer.OnChunk(ContentChunk(text.substr(at, len))));
      ASSERT_LT(restorer.held_bytes(), vault->max_placeholder_size());
      at += len;
    }
    const bool finish_in_band = rng() % 2 == 0;
    if (finish_in_band) {
      seen.Add(restorer.OnChunk(ContentChunk("", "stop")));
    } else if (auto last = restorer.Finish()) {
      seen.Add(*last);
    }
    ASSERT_EQ(seen.content, RestoreText(text, *vault, InsertAs::kText)) << text;
  }
}

}  // namespace
}  // namespace lanewise::redact
