#include "redact/restorer.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace lanewise::redact {
namespace {

struct Vault {
  PlaceholderVault vault{"0123456789abcdef", "req:1"};
  std::string person = vault.PlaceholderFor("PERSON", "Zoë \"Z\" O'Brien");
  std::string card = vault.PlaceholderFor("CREDIT_CARD", "4111 1111 1111 1111");
};

TEST(RestoreTextTest, ReplacesOnlyTheVaultsPlaceholders) {
  Vault v;
  const std::string text = "Dear " + v.person + ", card " + v.card +
                           " is fine. [PERSON_00000000] and [NOT A PLACEHOLDER] stay.";
  EXPECT_EQ(RestoreText(text, v.vault, InsertAs::kText),
            "Dear Zoë \"Z\" O'Brien, card 4111 1111 1111 1111 is fine. [PERSON_00000000] and "
            "[NOT A PLACEHOLDER] stay.");
}

TEST(RestoreTextTest, AdjacentAndRepeatedPlaceholders) {
  Vault v;
  EXPECT_EQ(RestoreText("[" + v.card + v.card + "]", v.vault, InsertAs::kText),
            "[4111 1111 1111 11114111 1111 1111 1111]");
}

TEST(RestoreTextTest, InsideJsonArgumentsValuesAreEscaped) {
  Vault v;
  const std::string args = R"({"name":")" + v.person + R"("})";
  const std::string restored = RestoreText(args, v.vault, InsertAs::kJsonStringContent);
  auto parsed = boost::json::parse(restored);
  EXPECT_EQ(parsed.at("name").as_string(), "Zoë \"Z\" O'Brien");
}

TEST(RestoreCompletionBodyTest, RestoresContentAndToolArgumentsButNotIds) {
  Vault v;
  const std::string body =
      R"({"id":")" + v.card +
      R"(","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi )" +
      v.person +
      R"(","tool_calls":[{"id":"c","type":"function","function":{"name":"pay","arguments":"{\"card\":\")" +
      v.card + R"(\",\"who\":\")" + v.person +
      R"(\"}"}}]},"finish_reason":"stop"}],"usage":{"total_tokens":3}})";
  auto restored = RestoreCompletionBody(body, v.vault);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  auto doc = boost::json::parse(*restored);
  EXPECT_EQ(doc.at("id").as_string(), v.card);  // outside choices: untouched
  const auto& message = doc.at("choices").at(0).at("message");
  EXPECT_EQ(message.at("content").as_string(), "Hi Zoë \"Z\" O'Brien");
  auto args =
      boost::json::parse(message.at("tool_calls").at(0).at("function").at("arguments").as_string());
  EXPECT_EQ(args.at("card").as_string(), "4111 1111 1111 1111");
  EXPECT_EQ(args.at("who").as_string(), "Zoë \"Z\" O'Brien");
}

TEST(RestoreCompletionBodyTest, NotJsonIsAnErrorEmptyVaultPassesThrough) {
  Vault v;
  EXPECT_EQ(RestoreCompletionBody("not json", v.vault).status().reason(), "restore_failed");
  PlaceholderVault empty("0123456789abcdef", "req:2");
  EXPECT_EQ(*RestoreCompletionBody("not json", empty), "not json");
}

}  // namespace
}  // namespace lanewise::redact
