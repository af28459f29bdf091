// The weak lane (sim.weak_lane): verdicts and logprob distributions as documented, seeded.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <string>

#include "tools/sim/chat_params.h"
#include "tools/sim/completion.h"
#include "tools/sim/sim_settings.h"
#include "tools/sim/text_gen.h"
#include "tools/sim/weak_lane.h"

namespace lanewise::sim {
namespace {

double Confidence(const WeakAnswer& answer) {
  double sum = 0;
  for (double logprob : answer.logprobs) sum += logprob;
  return std::exp(sum / static_cast<double>(answer.logprobs.size()));
}

WeakLaneSettings Enabled() {
  WeakLaneSettings settings;
  settings.enabled = true;
  return settings;
}

TEST(SimWeakLane, SameConversationSameAnswerOtherSeedOtherAnswers) {
  const WeakLaneSettings settings = Enabled();
  const WeakAnswer a = PlanWeakAnswer(settings, 42, 40);
  const WeakAnswer b = PlanWeakAnswer(settings, 42, 40);
  EXPECT_EQ(a.tokens, b.tokens);
  EXPECT_EQ(a.logprobs, b.logprobs);
  WeakLaneSettings other = settings;
  other.seed = 2;
  int differing = 0;
  for (std::uint64_t hash = 0; hash < 50; ++hash) {
    differing +=
        PlanWeakAnswer(settings, hash, 40).logprobs != PlanWeakAnswer(other, hash, 40).logprobs;
  }
  EXPECT_EQ(differing, 50);
}

TEST(SimWeakLane, VerdictSharesLengthsAndMarker) {
  const WeakLaneSettings settings = Enabled();
  int right = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const WeakAnswer answer = PlanWeakAnswer(settings, HashBytes(std::to_string(i)), 40);
    right += answer.right;
    ASSERT_GE(answer.tokens.size(), 21u);  // 20..60 words and the verdict
    ASSERT_LE(answer.tokens.size(), 61u);
    ASSERT_EQ(answer.tokens.size(), answer.logprobs.size());
    EXPECT_EQ(answer.tokens.back(), answer.right ? " [weak:right]" : " [weak:wrong]");
    for (double logprob : answer.logprobs) ASSERT_LE(logprob, 0.0);
  }
  EXPECT_NEAR(static_cast<double>(right) / n, 0.64, 0.03);
}

// Right answers are more confident on average, yet the two overlap: some wrong answers
// are more confident than the median right one.
TEST(SimWeakLane, RightAnswersAreMoreConfidentWithOverlap) {
  const WeakLaneSettings settings = Enabled();
  double right_sum = 0, wrong_sum = 0;
  int right = 0, wrong = 0, confident_wrong = 0;
  for (int i = 0; i < 4000; ++i) {
    const WeakAnswer answer = PlanWeakAnswer(settings, HashBytes(std::to_string(i)), 96);
    const double confidence = Confidence(answer);
    if (answer.right) {
      right_sum += confidence;
      ++right;
    } else {
      wrong_sum += confidence;
      ++wrong;
      confident_wrong += confidence > 0.9;
    }
  }
  const double right_mean = right_sum / right, wrong_mean = wrong_sum / wrong;
  EXPECT_GT(right_mean - wrong_mean, 0.05);
  EXPECT_GT(right_mean, 0.85);
  EXPECT_GT(confident_wrong, wrong / 20);
}

TEST(SimWeakLane, SettingsParseAndReject) {
  Settings settings;
  ASSERT_TRUE(
      ApplySettings(boost::json::parse(R"({"weak_lane":{"seed":7,"right_share":0.5}})").as_object(),
                    settings)
          .ok());
  EXPECT_TRUE(settings.weak_lane.enabled);
  EXPECT_EQ(settings.weak_lane.seed, 7u);
  EXPECT_EQ(settings.weak_lane.right_share, 0.5);
  EXPECT_EQ(settings.weak_lane.wrong_fork_rate, 0.14);
  EXPECT_TRUE(SettingsToJson(settings).at("weak_lane").is_object());
  EXPECT_FALSE(ApplySettings(boost::json::parse(R"({"weak_lane":{"right_share":1.5}})").as_object(),
                             settings)
                   .ok());
  EXPECT_FALSE(
      ApplySettings(boost::json::parse(R"({"weak_lane":{"typo":1}})").as_object(), settings).ok());
  EXPECT_FALSE(
      ApplySettings(boost::json::parse(R"({"weak_lane":"yes"})").as_object(), settings).ok());
  ASSERT_TRUE(
      ApplySettings(boost::json::parse(R"({"weak_lane":null})").as_object(), settings).ok());
  EXPECT_FALSE(settings.weak_lane.enabled);
  EXPECT_TRUE(SettingsToJson(settings).at("weak_lane").is_null());
}

TEST(SimWeakLane, CompletionCarriesTheWeakAnswerAndItsLogprobs) {
  Settings settings;
  settings.weak_lane = Enabled();
  settings.tokens = 30;
  auto params =
      ParseChatRequest(R"({"messages":[{"role":"user","content":"2+2?"}],"logprobs":true})");
  ASSERT_TRUE(params.ok());
  const Completion completion = PlanCompletion(*params, settings, Flavor::kLlama);
  const WeakAnswer expected = PlanWeakAnswer(settings.weak_lane, params->messages_hash, 30);
  ASSERT_EQ(completion.choices.size(), 1u);
  EXPECT_EQ(completion.choices[0].tokens, expected.tokens);
  EXPECT_EQ(completion.choices[0].logprobs, expected.logprobs);
  EXPECT_EQ(completion.choices[0].finish_reason, "stop");
}

}  // namespace
}  // namespace lanewise::sim
