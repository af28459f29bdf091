// Inspector benchmarks: a 2 KB chat request inspected end to end (parse JSON, walk,
// normalise, scan, validate, gazetteers, score), and scan throughput on 100 KB of text.
#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <string>

#include "core/chat_request.h"
#include "inspect/inspector.h"
#include "inspect/text/normalizer.h"
#include "request_2kb.h"

namespace {

using lanewise::bench::RequestJson;
using lanewise::inspect::Inspector;
using lanewise::inspect::InspectorOptions;

std::shared_ptr<const Inspector> MakeInspector(bool gazetteers) {
  InspectorOptions options;
  options.gazetteer_dir = gazetteers ? std::string(LANEWISE_SOURCE_DIR) + "/data/gazetteers" : "";
  auto built = Inspector::Build(options);
  if (!built.ok()) {
    std::fprintf(stderr, "%s\n", built.status().ToString().c_str());
    std::abort();
  }
  return *built;
}

const Inspector& WithGazetteers() {
  static const auto inspector = MakeInspector(true);
  return *inspector;
}

const Inspector& PatternsOnly() {
  static const auto inspector = MakeInspector(false);
  return *inspector;
}

void BM_InspectRequest2KB(benchmark::State& state) {
  const Inspector& inspector = WithGazetteers();
  const std::string json = RequestJson();
  std::size_t entities = 0;
  for (auto _ : state) {
    lanewise::core::ChatRequest request;
    request.body = boost::json::parse(json).as_object();
    const auto facts = inspector.Inspect(request);
    entities = facts.entities.size();
    benchmark::DoNotOptimize(facts.sensitivity_score);
  }
  state.counters["request_bytes"] = static_cast<double>(json.size());
  state.counters["entities"] = static_cast<double>(entities);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_InspectRequest2KB);

void BM_InspectRequest2KBPatternsOnly(benchmark::State& state) {
  const Inspector& inspector = PatternsOnly();
  const std::string json = RequestJson();
  for (auto _ : state) {
    lanewise::core::ChatRequest request;
    request.body = boost::json::parse(json).as_object();
    benchmark::DoNotOptimize(inspector.Inspect(request).sensitivity_score);
  }
}
BENCHMARK(BM_InspectRequest2KBPatternsOnly);

void BM_ParseOnly2KB(benchmark::State& state) {
  const std::string json = RequestJson();
  for (auto _ : state) {
    auto value = boost::json::parse(json);
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_ParseOnly2KB);

// ~100 KB of prose with scattered personal data, code and numbers.
std::string Text100KB(bool non_ascii) {
  const char* paragraphs[] = {
      "The quarterly report shows revenue of 4,212,993 EUR, up 7.5% on last year. Contact "
      "the finance team at finance@example.org or call 030 1234567 for questions. ",
      "Dear Mr. Thompson, your order 88213 ships to 17 Stone Cellar Road, Springfield, "
      "on 2024-05-02. Track it at https://track.example.com/88213 until Friday. ",
      "def handler(event):\n    token = os.environ['API_TOKEN']\n    return requests.get("
      "url, timeout=3.0).json()  # retries: 3, backoff 0.5\n",
      "In 1998 the team moved from Berlin to Amsterdam; Anna Schmidt led the design of the "
      "new storage engine, which now serves 120000 requests per second on 16 cores. ",
      "Patient notes: blood pressure 120/80, follow-up in 2 weeks. The clinic on Via "
      "Giberti 75 opens at 8.30; parking is free for visitors with a permit. ",
  };
  const char* accented =
      "Müller und Françoise trafen sich in Zürich; 東京 から 大阪 まで 新幹線 で 二時間 。"
      "Ｔｅｌ： ０３－１２３４－５６７８ ";
  std::string text;
  std::size_t i = 0;
  while (text.size() < 100 * 1024) {
    text += paragraphs[i % 5];
    if (non_ascii && i % 3 == 0) text += accented;
    ++i;
  }
  return text;
}

void BM_ScanText100KB(benchmark::State& state) {
  const Inspector& inspector = state.range(0) ? WithGazetteers() : PatternsOnly();
  const std::string text = Text100KB(state.range(1) != 0);
  std::size_t found = 0;
  for (auto _ : state) {
    const auto detections = inspector.ScanText(text);
    found = detections.size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["entities"] = static_cast<double>(found);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ScanText100KB)
    ->ArgNames({"gazetteers", "non_ascii"})
    ->Args({1, 0})
    ->Args({0, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMicrosecond);

void BM_Normalize100KB(benchmark::State& state) {
  const std::string text = Text100KB(true);
  for (auto _ : state) {
    const auto normalized = lanewise::inspect::Normalize(text);
    benchmark::DoNotOptimize(normalized.text().size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Normalize100KB)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
