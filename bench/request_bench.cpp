// The whole per-request decision path of the gateway on a ~2 KB chat request, on one core:
// parse the body as the gateway does (api::ParseChatRequest: JSON, validation, hints),
// inspect it (walk, normalise, scan, validate, gazetteers, score), classify and decide
// (policy::Decide on examples/hybrid.yaml). No network, no lane. The difficulty score's
// cost: BM_Request2KBInspect{With,Without}Difficulty (A/B, same inspector options but the
// weights) and BM_Request2KBDifficultyOnly.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/chat_request_parser.h"
#include "config/config_loader.h"
#include "inspect/difficulty/difficulty_model.h"
#include "inspect/inspector.h"
#include "policy/engine.h"
#include "request_2kb.h"

namespace {

using namespace lanewise;

struct Fixture {
  config::ConfigPtr config;
  std::shared_ptr<const inspect::Inspector> inspector;
  std::shared_ptr<const inspect::Inspector> inspector_without_difficulty;
  std::shared_ptr<const inspect::DifficultyModel> difficulty;
  std::string body;

  Fixture() {
    ::setenv("CLOUD_LLM_API_KEY", "sk-bench-not-used", 0);
    ::setenv("LANEWISE_REDACTION_KEY", "0123456789abcdef0123456789abcdef", 0);
    auto loaded =
        config::LoadConfigFile(std::string(LANEWISE_SOURCE_DIR) + "/examples/hybrid.yaml");
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    config = std::move(loaded).value();
    inspector = inspect::Inspector::Build(config->policy->inspection).value();
    inspect::InspectorOptions without = config->policy->inspection;
    if (without.difficulty_weights.empty()) {
      std::fprintf(stderr, "examples/hybrid.yaml configures no difficulty model\n");
      std::abort();
    }
    difficulty = inspect::DifficultyModel::Load(without.difficulty_weights).value();
    without.difficulty_weights.clear();
    inspector_without_difficulty = inspect::Inspector::Build(without).value();
    // The shared request asks for the cloud alias: the policy must see the card and keep
    // the request local.
    body = bench::RequestJson();
    body.replace(body.find("\"fast\""), 6, "\"premium\"");
  }
};

const Fixture& Shared() {
  static const Fixture fixture;
  return fixture;
}

void BM_Request2KBEndToEnd(benchmark::State& state) {
  const Fixture& f = Shared();
  const core::LaneStates lanes;
  std::string lane;
  std::string data_class;
  for (auto _ : state) {
    auto request = api::ParseChatRequest(f.body, {});
    const core::Facts facts = f.inspector->Inspect(*request);
    const core::RouteDecision decision = policy::Decide(facts, *f.config, lanes, {});
    benchmark::DoNotOptimize(decision.plan.data());
    lane = decision.plan.empty() ? "no_route" : decision.plan.front().lane;
    data_class = decision.data_class;
  }
  state.SetLabel("class=" + data_class + " lane=" + lane);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.body.size()));
}
BENCHMARK(BM_Request2KBEndToEnd);

// The parts, for where the time goes.
void BM_Request2KBParseOnly(benchmark::State& state) {
  const Fixture& f = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(api::ParseChatRequest(f.body, {}));
}
BENCHMARK(BM_Request2KBParseOnly);

void BM_Request2KBDecideOnly(benchmark::State& state) {
  const Fixture& f = Shared();
  const core::LaneStates lanes;
  const auto request = api::ParseChatRequest(f.body, {});
  const core::Facts facts = f.inspector->Inspect(*request);
  for (auto _ : state) benchmark::DoNotOptimize(policy::Decide(facts, *f.config, lanes, {}));
}
BENCHMARK(BM_Request2KBDecideOnly);

void InspectWith(benchmark::State& state, const inspect::Inspector& inspector) {
  const auto request = api::ParseChatRequest(Shared().body, {});
  double difficulty = 0;
  for (auto _ : state) {
    const core::Facts facts = inspector.Inspect(*request);
    difficulty = facts.difficulty;
    benchmark::DoNotOptimize(facts.entities.data());
  }
  state.SetLabel("difficulty=" + std::to_string(difficulty));
}

void BM_Request2KBInspectWithDifficulty(benchmark::State& state) {
  InspectWith(state, *Shared().inspector);
}
BENCHMARK(BM_Request2KBInspectWithDifficulty);

void BM_Request2KBInspectWithoutDifficulty(benchmark::State& state) {
  InspectWith(state, *Shared().inspector_without_difficulty);
}
BENCHMARK(BM_Request2KBInspectWithoutDifficulty);

void BM_Request2KBDifficultyOnly(benchmark::State& state) {
  const auto request = api::ParseChatRequest(Shared().body, {});
  for (auto _ : state) benchmark::DoNotOptimize(Shared().difficulty->ScoreRequest(request->body));
}
BENCHMARK(BM_Request2KBDifficultyOnly);

}  // namespace

BENCHMARK_MAIN();
