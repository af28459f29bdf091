// The difficulty features, the model file, the routing metrics, and the calibration of
// the shipped model on held-out data (docs/policy.md, "Routing by capability").
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/difficulty_calibration.h"
#include "eval/routing_eval.h"
#include "eval/routing_metrics.h"
#include "inspect/difficulty/difficulty_cues.h"
#include "inspect/difficulty/difficulty_dump.h"
#include "inspect/difficulty/difficulty_features.h"
#include "inspect/difficulty/difficulty_model.h"
#include "inspect/difficulty/prompt_body.h"
#include "inspect/difficulty/request_prompt.h"

namespace lanewise::inspect {
namespace {

// routellm_metrics.py on the fixture of MatchesTheReferenceOnAFixture:
//   metrics(curve(scores, out, 10), 0.5, 0.7) == (0.6499999999999996, 10.0, 35.99999999999999)
constexpr double kFixtureApgr = 0.6499999999999996;
constexpr double kFixtureCpt50 = 10.0;
constexpr double kFixtureCpt80 = 35.99999999999999;

const std::string kModelDir = std::string(LANEWISE_SOURCE_DIR) + "/data/difficulty";
const std::string kDataDir = std::string(LANEWISE_SOURCE_DIR) + "/data/routing";

DifficultyFeatures FeaturesOf(const std::string& prompt) {
  const boost::json::object body = SingleUserMessage(prompt);  // the prompt's views point here
  RequestPrompt p;
  ReadRequestPrompt(body, p);
  DifficultyFeatures f;
  ExtractDifficultyFeatures(p, f);
  return f;
}

float Dense(const DifficultyFeatures& f, DenseFeature which) {
  return f.dense[static_cast<std::size_t>(which)];
}

TEST(DifficultyFeaturesTest, TellsTheKindOfPrompt) {
  EXPECT_EQ(FeaturesOf("Which is a prime?\nA. 4\nB. 6\nC. 7\nD. 9\nAnswer:").kind,
            PromptKind::kMultipleChoice);
  EXPECT_EQ(FeaturesOf("Tom has 3 apples and buys 12 more. How many does he have?").kind,
            PromptKind::kNumericQuestion);
  EXPECT_EQ(FeaturesOf("Write a poem about the sea.").kind, PromptKind::kOpen);
  // Quantities may be spelt out, and "calculate" asks without a question mark.
  EXPECT_EQ(FeaturesOf("Ann has twelve pens and gives half away. How many are left?").kind,
            PromptKind::kNumericQuestion);
  EXPECT_EQ(FeaturesOf("A pen costs $2. Calculate the cost of 7 pens.").kind,
            PromptKind::kNumericQuestion);
  // A task with numbers that asks nothing stays open.
  EXPECT_EQ(FeaturesOf("Implement a function to find the median of two sorted arrays in O(1) "
                       "space.")
                .kind,
            PromptKind::kOpen);
  EXPECT_EQ(FeaturesOf("Write two poems about the sea.").kind, PromptKind::kOpen);
}

TEST(DifficultyFeaturesTest, CountsQuantitiesAndWordsInCapitals) {
  EXPECT_GT(Dense(FeaturesOf("three dozen and a half"), DenseFeature::kLogQuantities),
            Dense(FeaturesOf("three"), DenseFeature::kLogQuantities));
  EXPECT_GT(Dense(FeaturesOf("Tom has 3 pens"), DenseFeature::kLogQuantities), 0.0f);
  EXPECT_EQ(Dense(FeaturesOf("plain words"), DenseFeature::kLogQuantities), 0.0f);
  EXPECT_GT(Dense(FeaturesOf("Which is NOT a prime?"), DenseFeature::kLogAllCaps), 0.0f);
  // One capital letter is no word in capitals; nor is a capitalised word.
  EXPECT_EQ(Dense(FeaturesOf("I saw A. Smith in Paris"), DenseFeature::kLogAllCaps), 0.0f);
}

TEST(DifficultyFeaturesTest, CountsTaskCues) {
  const DifficultyFeatures code = FeaturesOf(
      "Implement a Python function that returns the nth prime.\n```python\ndef f(n):"
      " return n;\n```");
  EXPECT_GT(Dense(code, DenseFeature::kCodeWords), 0.0f);
  EXPECT_EQ(Dense(code, DenseFeature::kCodeFence), 1.0f);
  EXPECT_GT(Dense(code, DenseFeature::kCodeSymbols), 0.0f);
  const DifficultyFeatures maths = FeaturesOf("Solve the equation 3.5x + 1/2 = 10% of $1200.");
  EXPECT_EQ(Dense(maths, DenseFeature::kDecimal), 1.0f);
  EXPECT_EQ(Dense(maths, DenseFeature::kFraction), 1.0f);
  EXPECT_EQ(Dense(maths, DenseFeature::kPercent), 1.0f);
  EXPECT_EQ(Dense(maths, DenseFeature::kMoney), 1.0f);
  EXPECT_EQ(Dense(maths, DenseFeature::kBigNumber), 1.0f);
  EXPECT_GT(Dense(maths, DenseFeature::kMathWords), 0.0f);
  EXPECT_EQ(Dense(FeaturesOf("plain words"), DenseFeature::kMathWords), 0.0f);
}

TEST(DifficultyFeaturesTest, CountsWordProblemAndOpenTaskCues) {
  const DifficultyFeatures word_problem = FeaturesOf(
      "Anna walks 3 miles in 2 hours. First she rests, then she walks 5 more miles than "
      "Ben. How many hours does she walk?");
  EXPECT_GT(Dense(word_problem, DenseFeature::kUnitWords), 0.0f);
  EXPECT_GT(Dense(word_problem, DenseFeature::kComparisonWords), 0.0f);
  EXPECT_GT(Dense(word_problem, DenseFeature::kSequenceWords), 0.0f);
  // "Second" counts as a unit (of time), never as a step.
  EXPECT_EQ(Dense(FeaturesOf("second"), DenseFeature::kSequenceWords), 0.0f);
  EXPECT_GT(Dense(FeaturesOf("second"), DenseFeature::kUnitWords), 0.0f);
  EXPECT_GT(
      Dense(FeaturesOf("What is the remainder when it is divided by 4"), DenseFeature::kMathWords),
      0.0f);
  EXPECT_GT(
      Dense(FeaturesOf("Find the kth element of two sorted arrays"), DenseFeature::kCodeWords),
      0.0f);
  EXPECT_GT(Dense(FeaturesOf("If the first two statements are true, the third is"),
                  DenseFeature::kReasoningWords),
            0.0f);
  for (const char* text : {"plain words", "Write a poem about the sea."}) {
    const DifficultyFeatures f = FeaturesOf(text);
    EXPECT_EQ(Dense(f, DenseFeature::kUnitWords), 0.0f) << text;
    EXPECT_EQ(Dense(f, DenseFeature::kComparisonWords), 0.0f) << text;
    EXPECT_EQ(Dense(f, DenseFeature::kSequenceWords), 0.0f) << text;
  }
}

TEST(DifficultyFeaturesTest, LinearLengthIsBytesPerThousandCappedAtFour) {
  EXPECT_FLOAT_EQ(Dense(FeaturesOf(std::string(500, 'a')), DenseFeature::kLinearBytes), 0.5f);
  EXPECT_FLOAT_EQ(Dense(FeaturesOf(std::string(9000, 'a')), DenseFeature::kLinearBytes), 4.0f);
  EXPECT_EQ(Dense(FeaturesOf(""), DenseFeature::kLinearBytes), 0.0f);
  // Longer prompts of the same words never read as shorter.
  std::string text = "How many apples are left? ";
  float previous = 0.0f;
  for (int i = 0; i < 6; ++i, text += text) {
    const float now = Dense(FeaturesOf(text), DenseFeature::kLinearBytes);
    EXPECT_GE(now, previous);
    previous = now;
  }
}

TEST(DifficultyFeaturesTest, ReadsTheLastUserMessageAndTheConversation) {
  boost::json::object body = boost::json::parse(R"({"messages": [
      {"role": "system", "content": "be brief"},
      {"role": "user", "content": "first question"},
      {"role": "assistant", "content": "an answer"},
      {"role": "user", "content": [{"type": "text", "text": "second"},
                                   {"type": "image_url", "image_url": {"url": "x"}},
                                   {"type": "text", "text": "part"}]}]})")
                                 .as_object();
  RequestPrompt p;
  ReadRequestPrompt(body, p);
  ASSERT_EQ(p.last_user_parts.size(), 2u);
  EXPECT_EQ(p.last_user_parts[0], "second");
  EXPECT_EQ(p.user_turns, 2u);
  EXPECT_TRUE(p.has_system);
  EXPECT_EQ(p.conversation_bytes, std::string("be brieffirst questionan answersecondpart").size());
}

TEST(DifficultyFeaturesTest, HashedWordsAreDeterministicAndWeighSqrtN) {
  const DifficultyFeatures a = FeaturesOf("the cat sat");
  const DifficultyFeatures b = FeaturesOf("The CAT sat");
  EXPECT_EQ(a.hashed, b.hashed);   // case folded
  EXPECT_EQ(a.hashed.size(), 5u);  // 3 words + 2 pairs
  EXPECT_FLOAT_EQ(a.HashedValue(), 1.0f / std::sqrt(5.0f));
  for (std::uint32_t bucket : a.hashed) EXPECT_LT(bucket, kDifficultyHashBuckets);
  const DifficultyFeatures empty = FeaturesOf("");
  EXPECT_TRUE(empty.hashed.empty());
  EXPECT_EQ(Dense(empty, DenseFeature::kBias), 1.0f);
}

TEST(DifficultyModelTest, RejectsWrongFilesWithTheirLine) {
  const std::string header = "format lanewise-difficulty-weights 1\nfeatures " +
                             std::string(kDifficultyFeatureVersion) + "\nbias 0.5\n";
  EXPECT_TRUE(DifficultyModel::Parse(header + "3 0.25\n", "w").ok());
  auto wrong_version = DifficultyModel::Parse(
      "format lanewise-difficulty-weights 1\nfeatures difficulty-features-0\n", "w");
  ASSERT_FALSE(wrong_version.ok());
  EXPECT_NE(wrong_version.status().message().find("w:2"), std::string::npos);
  EXPECT_FALSE(DifficultyModel::Parse(header + "99999999 1\n", "w").ok());
  EXPECT_FALSE(DifficultyModel::Parse(header + "3 nan\n", "w").ok());
  EXPECT_FALSE(DifficultyModel::Parse("bias 1\n", "w").ok());
}

TEST(DifficultyModelTest, ScoresAreLogisticInTheWeights) {
  const std::string header = "format lanewise-difficulty-weights 1\nfeatures " +
                             std::string(kDifficultyFeatureVersion) + "\n";
  auto zero = DifficultyModel::Parse(header + "bias 0\n", "w");
  ASSERT_TRUE(zero.ok());
  EXPECT_DOUBLE_EQ(zero.value()->Score(FeaturesOf("anything at all")), 0.5);
  // Only the bias cue (always 1) weighted: sigmoid(2).
  const auto bias_index = static_cast<std::size_t>(DenseFeature::kBias);
  auto biased =
      DifficultyModel::Parse(header + "bias 0\n" + std::to_string(bias_index) + " 2\n", "w");
  ASSERT_TRUE(biased.ok());
  EXPECT_NEAR(biased.value()->Score(FeaturesOf("x")), 1.0 / (1.0 + std::exp(-2.0)), 1e-12);
}

TEST(DifficultyModelTest, HashedWordsWeighSharedPlusTheirKindsCopy) {
  const std::string header = "format lanewise-difficulty-weights 1\nfeatures " +
                             std::string(kDifficultyFeatureVersion) + "\nbias 0\n";
  DifficultyFeatures f;
  f.hashed = {5};  // one occurrence: HashedValue() == 1
  f.kind = PromptKind::kOpen;
  const std::size_t open_copy = f.KindHashedOffset() + 5;
  auto model = DifficultyModel::Parse(header + std::to_string(kHashedFeatureOffset + 5) + " 1\n" +
                                          std::to_string(open_copy) + " 2\n",
                                      "w");
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_NEAR(model.value()->Score(f), 1.0 / (1.0 + std::exp(-3.0)), 1e-9);
  f.kind = PromptKind::kMultipleChoice;  // the open copy does not count
  EXPECT_NEAR(model.value()->Score(f), 1.0 / (1.0 + std::exp(-1.0)), 1e-9);
  // Every kind's copy lies inside the feature vector; the dump names both copies.
  for (PromptKind kind :
       {PromptKind::kMultipleChoice, PromptKind::kNumericQuestion, PromptKind::kOpen}) {
    f.kind = kind;
    EXPECT_LE(f.KindHashedOffset() + kDifficultyHashBuckets, kDifficultyFeatureCount);
    const std::string line = DifficultyFeatureLine(f);
    EXPECT_NE(line.find(std::to_string(kHashedFeatureOffset + 5) + ":1"), std::string::npos);
    EXPECT_NE(line.find(std::to_string(f.KindHashedOffset() + 5) + ":1"), std::string::npos);
  }
}

TEST(DifficultyModelTest, TheShippedModelLoadsAndSeparatesEasyFromHard) {
  auto model = DifficultyModel::Load(kModelDir + "/weights.txt");
  ASSERT_TRUE(model.ok()) << model.status().message();
  const double easy = model.value()->ScoreRequest(SingleUserMessage("Hi! How are you today?"));
  const double hard = model.value()->ScoreRequest(SingleUserMessage(
      "Prove that for every prime p > 3, p^2 - 1 is divisible by 24. Explain each step of "
      "the reasoning, then implement a Python function that checks it for all primes below "
      "10000 and analyse its complexity."));
  EXPECT_GE(easy, 0.0);
  EXPECT_LE(hard, 1.0);
  EXPECT_LT(easy, hard);
}

// The protocol against ../shared/tools/routellm_metrics.py: its prompt-length figures on
// the full sets (APGR, CPT50, CPT80), as `python3 routellm_metrics.py <routellm-evals>`
// prints them (the data README rounds them).
TEST(RoutingMetricsTest, PromptLengthMatchesTheReferenceImplementation) {
  struct Expected {
    const char* set;
    double apgr, cpt50, cpt80;
  };
  for (const Expected& e :
       {Expected{"gsm8k", 0.5978359049562186, 36.77258202439355, 66.44393437048376},
        Expected{"mmlu", 0.5833452134849014, 36.70841347866351, 69.32230657485962},
        Expected{"mt_bench", 0.5555037313432825, 34.444444444444514, 77.56535947712408}}) {
    auto rows = LoadRoutingRows(kDataDir + "/" + e.set + ".jsonl");
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    std::vector<RoutedItem> items;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const RoutingRow& r = (*rows)[i];
      items.push_back({static_cast<double>(CodePoints(r.prompt)) + 1e-6 * static_cast<double>(i),
                       r.weak, r.strong});
    }
    const RoutingMetrics m = EvaluateRouter(items);
    EXPECT_NEAR(m.apgr, e.apgr, 1e-9) << e.set;
    EXPECT_NEAR(m.cpt50, e.cpt50, 1e-7) << e.set;
    EXPECT_NEAR(m.cpt80, e.cpt80, 1e-7) << e.set;
  }
}

// A fixture small enough to check by hand, with a curve that dips (the reference reads
// such a curve segment by segment); expected values from routellm_metrics.py's functions
// (metrics(curve(...))) run on the same numbers.
TEST(RoutingMetricsTest, MatchesTheReferenceOnAFixture) {
  const std::vector<RoutedItem> items = {{0.9, 0, 1}, {0.8, 1, 1}, {0.7, 0, 0}, {0.6, 0, 1},
                                         {0.5, 1, 0}, {0.4, 1, 1}, {0.3, 0, 1}, {0.2, 1, 1},
                                         {0.1, 1, 0}, {0.05, 0, 1}};
  const RoutingMetrics m = EvaluateRouter(items);
  EXPECT_NEAR(m.apgr, kFixtureApgr, 1e-9);
  EXPECT_NEAR(m.cpt50, kFixtureCpt50, 1e-9);
  EXPECT_NEAR(m.cpt80, kFixtureCpt80, 1e-9);
}

TEST(RoutingMetricsTest, ARandomRouterScoresAboutHalf) {
  auto rows = LoadRoutingRows(kDataDir + "/gsm8k.jsonl");
  ASSERT_TRUE(rows.ok());
  std::vector<RoutedItem> items;
  for (const RoutingRow& r : *rows) items.push_back({0.0, r.weak, r.strong});
  EXPECT_NEAR(RandomRouterMetrics(items).apgr, 0.5, 0.03);
}

// The shipped calibration, made from TRAIN-split scores, sends the requested share to the
// strong lane on the TEST split, within 2 points.
TEST(DifficultyCalibrationTest, HitsTheRequestedShareOnHeldOutData) {
  auto model = DifficultyModel::Load(kModelDir + "/weights.txt");
  ASSERT_TRUE(model.ok());
  std::ifstream in(kModelDir + "/calibration.txt");
  std::stringstream text;
  text << in.rdbuf();
  auto calibration = core::ParseDifficultyCalibration(text.str(), "calibration.txt");
  ASSERT_TRUE(calibration.ok()) << calibration.status().message();
  std::vector<double> scores;
  for (const char* set : {"gsm8k", "mmlu", "mt_bench", "alpacaeval"}) {
    auto rows = LoadRoutingRows(kDataDir + "/" + set + ".jsonl");
    ASSERT_TRUE(rows.ok());
    for (const RoutingRow& r : *rows) {
      if (!IsTrainPrompt(r.prompt))
        scores.push_back(model.value()->ScoreRequest(SingleUserMessage(r.prompt)));
    }
  }
  std::vector<double> shares = {0.1, 0.2, 0.3, 0.5, 0.7, 0.9};
  for (const auto& [objective, share] : calibration->objective_shares) shares.push_back(share);
  for (double share : shares) {
    const double threshold = calibration->ThresholdForShare(share);
    const double routed =
        static_cast<double>(
            std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= threshold; })) /
        static_cast<double>(scores.size());
    EXPECT_NEAR(routed, share, 0.02) << "share " << share;
  }
}

TEST(DifficultyCalibrationTest, ThresholdsFollowTheQuantiles) {
  core::DifficultyCalibration c;
  c.quantiles = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
  EXPECT_DOUBLE_EQ(c.ThresholdForShare(0.5), 0.5);
  EXPECT_DOUBLE_EQ(c.ThresholdForShare(1.0), 0.0);
  EXPECT_GT(c.ThresholdForShare(0.0), 1.0);
  EXPECT_FALSE(core::ParseDifficultyCalibration("format lanewise-difficulty-calibration 1\n"
                                                "quantiles 0.5 0.2\n",
                                                "c")
                   .ok());
}

}  // namespace
}  // namespace lanewise::inspect

namespace lanewise::inspect {
namespace {

TEST(DifficultyCueTest, TheFirstListNamingAWordGivesItsCue) {
  EXPECT_EQ(CueOfWord(HashWord("each")), Cue::kRate);
  EXPECT_EQ(CueOfWord(HashWord("unless")), Cue::kCondition);
  EXPECT_EQ(CueOfWord(HashWord("function")), Cue::kCode);   // also a math word: code first
  EXPECT_EQ(CueOfWord(HashWord("third")), Cue::kFraction);  // also a sequence word
  EXPECT_EQ(CueOfWord(HashWord("limit")), Cue::kMath);      // also a constraint word
  EXPECT_EQ(CueOfWord(HashWord("mph")), Cue::kUnit);
  EXPECT_EQ(CueOfWord(HashWord("calculate")), Cue::kAsk);  // also a math word: asks first
  EXPECT_EQ(CueOfWord(HashWord("twelve")), Cue::kNumberWord);
  for (std::string_view other : {"zebra", "gateway", "", "eachx", "functions", "a"}) {
    EXPECT_EQ(CueOfWord(HashWord(other)), Cue::kNone) << other;
  }
}

}  // namespace
}  // namespace lanewise::inspect
