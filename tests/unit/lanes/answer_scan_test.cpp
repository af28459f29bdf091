#include "lanes/answer_scan.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <random>

namespace lanewise::lanes {
namespace {

namespace json = boost::json;

TEST(AnswerScanTest, RewritesThePlainModelStringInPlace) {
  std::string text = R"({"id":"c1","model":"llama-3.1-8b.gguf","choices":[{"index":0}]})";
  AnswerShape shape = ReadAnswer(text, "chat");
  EXPECT_TRUE(shape.object);
  EXPECT_TRUE(shape.has_choices);
  EXPECT_FALSE(shape.has_error);
  EXPECT_TRUE(shape.model_replaced);
  EXPECT_EQ(text, R"({"id":"c1","model":"chat","choices":[{"index":0}]})");
}

TEST(AnswerScanTest, LeavesTheTextAloneWhenTheModelMatchesOrIsAbsentOrNotAsked) {
  const std::string same = R"({"model":"chat","choices":[]})";
  std::string text = same;
  EXPECT_FALSE(ReadAnswer(text, "chat").model_replaced);
  EXPECT_EQ(text, same);
  const std::string no_model = R"({"choices":[{"delta":{"model":"x"}}]})";
  text = no_model;
  EXPECT_FALSE(ReadAnswer(text, "chat").model_replaced);  // only the top level counts
  EXPECT_EQ(text, no_model);
  text = R"({"model":"other"})";
  EXPECT_FALSE(ReadAnswer(text, "").model_replaced);
}

TEST(AnswerScanTest, SpotsErrorsAndRefusesWhatIsNotOneObject) {
  std::string text = R"({"error":{"message":"boom"}})";
  AnswerShape shape = ReadAnswer(text, "chat");
  EXPECT_TRUE(shape.object);
  EXPECT_TRUE(shape.has_error);
  EXPECT_FALSE(shape.has_choices);
  for (std::string bad : {std::string("[1,2]"), std::string("\"x\""), std::string("{\"a\":1} x"),
                          std::string("{\"a\":"), std::string(""), std::string("{\"a\":1}{}")}) {
    AnswerShape s = ReadAnswer(bad, "chat");
    EXPECT_FALSE(s.object) << bad;
    EXPECT_FALSE(s.problem.empty()) << bad;
  }
  // A nested "error" or "choices" key is not the answer's.
  text = R"({"data":{"error":1,"choices":2}})";
  shape = ReadAnswer(text, "chat");
  EXPECT_FALSE(shape.has_error);
  EXPECT_FALSE(shape.has_choices);
}

TEST(AnswerScanTest, QuotesTheClientModelAsJson) {
  std::string text = R"({"model":"m"})";
  ReadAnswer(text, "a\"b\\c\n");
  EXPECT_EQ(json::parse(text).at("model").as_string(), "a\"b\\c\n");
}

// Property: for random answers, the result equals what a DOM would give (the model set to
// the client's name when present and different; nothing else changed).
TEST(AnswerScanTest, AgreesWithTheDomOnRandomAnswers) {
  std::mt19937 rng(20261203);
  const std::vector<std::string> model_values = {
      R"("gpt-4o-mini")", R"("chat")", R"("m\u00e9t\"a")", R"(42)",  R"(null)", R"({"n":"x"})",
      R"(["a"])",         R"("")",     R"("a\/b")",        R"(true)"};
  const std::vector<std::string> others = {R"("id":"c")",
                                           R"("choices":[{"delta":{"content":"hi \"model\""}}])",
                                           R"("usage":{"model":"inner"})",
                                           R"("error":{"message":"e"})",
                                           R"("created":1.5e3)",
                                           R"("x":[1,{"model":"y"}])"};
  for (int i = 0; i < 5000; ++i) {
    std::vector<std::string> members;
    const int n = static_cast<int>(rng() % 4);
    for (int k = 0; k < n; ++k) members.push_back(others[rng() % others.size()]);
    const int models = static_cast<int>(rng() % 3);  // 0, 1 or 2 "model" keys
    for (int k = 0; k < models; ++k) {
      members.insert(members.begin() + static_cast<long>(rng() % (members.size() + 1)),
                     std::string(R"("model":)") + model_values[rng() % model_values.size()]);
    }
    std::string text = "{";
    for (std::size_t k = 0; k < members.size(); ++k) {
      if (k > 0) text += rng() % 2 ? "," : " , ";
      text += members[k];
    }
    text += rng() % 2 ? "}" : " }\n";
    const std::string client = rng() % 2 ? "chat" : "gpt-4o-mini";

    json::value expected = json::parse(text);
    bool should_change = false;
    if (json::value* m = expected.as_object().if_contains("model")) {
      should_change = !(m->is_string() && m->as_string() == client);
      *m = client;
    }
    std::string got = text;
    AnswerShape shape = ReadAnswer(got, client);
    ASSERT_TRUE(shape.object) << text;
    EXPECT_EQ(shape.model_replaced, should_change) << text;
    EXPECT_EQ(json::parse(got), expected) << text << " -> " << got;
    if (!should_change) {
      EXPECT_EQ(got, text);
    }
    EXPECT_EQ(shape.has_choices, expected.as_object().contains("choices")) << text;
    EXPECT_EQ(shape.has_error, expected.as_object().contains("error")) << text;
  }
}

}  // namespace
}  // namespace lanewise::lanes
