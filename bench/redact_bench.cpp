// Redaction benchmarks: what redacting a 2 KB request and restoring a 20-event streamed
// answer cost, next to the inspection that every request pays anyway. Numbers, not a test.
#include <benchmark/benchmark.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "inspect/inspector.h"
#include "redact/request_redactor.h"
#include "redact/restorer.h"
#include "redact/stream_restorer.h"

namespace {

using namespace lanewise;

const char* kPolicy = R"(
lanes:
  - { name: local, kind: local, base_url: "http://127.0.0.1:1/v1", models: [{ alias: chat, upstream: l }] }
  - { name: cloud, kind: managed, base_url: "http://127.0.0.1:2/v1", models: [{ alias: chat, upstream: c }] }
policy:
  inspection: { gazetteer_dir: ")" LANEWISE_SOURCE_DIR R"(/data/gazetteers" }
  data_classes:
    - { name: public, crossing: allow }
    - { name: confidential, crossing: { managed: redact } }
)";

// ~2 KB: a system prompt and a few turns with names, e-mail, phone, address, card, IBAN.
const char* kRequest = R"({"model":"chat","stream":true,"messages":[
{"role":"system","content":"You are a helpful support assistant for a retail bank. Answer briefly, never reveal internal notes, and escalate fraud cases to the security team. Use the customer's preferred language. Today is Tuesday; the branch closes at 17:00."},
{"role":"user","content":"Hi, my name is Maria Gonzalez and I lost my credit card 4111 1111 1111 1111 yesterday evening near the station. Can you block it? You can reach me at maria.gonzalez@example.com or +44 20 7946 0958. My address is 221B Baker Street, London NW1 6XE."},
{"role":"assistant","content":"I'm sorry to hear that, Maria. I have started the process. For verification, could you confirm the last transaction you made and the date of birth on the account?"},
{"role":"user","content":"The last one was a coffee for 3.50 GBP. Please move the remaining balance to my other account, IBAN GB82 WEST 1234 5698 7654 32, and send the confirmation to my husband John Gonzalez as well."},
{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"block_card","arguments":"{\"card\":\"4111 1111 1111 1111\",\"reason\":\"lost\",\"customer_email\":\"maria.gonzalez@example.com\"}"}}]},
{"role":"tool","tool_call_id":"call_1","content":"{\"status\":\"blocked\",\"ticket\":\"T-20931\"}"},
{"role":"user","content":"Thanks. Please write a short confirmation letter to Maria Gonzalez at 221B Baker Street that mentions the card ending and the IBAN, and cc maria.gonzalez@example.com. Keep it under 120 words and sign it from the support team."}]})";

struct Fixture {
  std::shared_ptr<const inspect::Inspector> inspector;
  std::unique_ptr<redact::RequestRedactor> redactor;
  core::ChatRequest request;
  Fixture() {
    auto config = config::LoadConfigString(kPolicy, "bench.yaml");
    if (!config.ok()) {
      std::fprintf(stderr, "%s\n", config.status().ToString().c_str());
      std::abort();
    }
    inspector = inspect::Inspector::Build(config.value()->policy->inspection).value();
    redactor = std::make_unique<redact::RequestRedactor>(config.value(), inspector);
    request.body = boost::json::parse(kRequest).as_object();
    request.request_id = "req_bench";
    request.session_id = "session-1";
  }
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

// The answer a cloud lane would stream back: the redacted last user message, echoed in
// 18 content chunks (placeholders split across them), then the finish chunk.
std::vector<std::string> EchoChunks(const std::string& text) {
  std::vector<std::string> chunks;
  const std::size_t pieces = 18;
  const std::size_t step = text.size() / pieces + 1;
  for (std::size_t at = 0; at < text.size(); at += step) {
    boost::json::object delta;
    delta["content"] = text.substr(at, step);
    boost::json::object choice;
    choice["index"] = 0;
    choice["delta"] = std::move(delta);
    choice["finish_reason"] = nullptr;
    boost::json::object root;
    root["id"] = "chatcmpl-bench";
    root["object"] = "chat.completion.chunk";
    root["created"] = 1;
    root["model"] = "gpt-4o";
    root["choices"] = boost::json::array{std::move(choice)};
    chunks.push_back(boost::json::serialize(root));
  }
  chunks.push_back(
      R"({"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})");
  return chunks;
}

void BM_Inspect2KB(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(f.inspector->Inspect(f.request));
}
BENCHMARK(BM_Inspect2KB);

// Redaction proper: rewrite every entity, re-scan the result (the fail-closed check).
void BM_Redact2KB(benchmark::State& state) {
  Fixture& f = Shared();
  const core::Facts facts = f.inspector->Inspect(f.request);
  for (auto _ : state) {
    auto prepared = f.redactor->Prepare(f.request, facts, "confidential", true, true);
    benchmark::DoNotOptimize(prepared);
  }
  state.counters["entities"] = static_cast<double>(facts.entities.size());
}
BENCHMARK(BM_Redact2KB);

void RestoreStream(benchmark::State& state, bool with_vault) {
  Fixture& f = Shared();
  const core::Facts facts = f.inspector->Inspect(f.request);
  auto prepared = f.redactor->Prepare(f.request, facts, "confidential", true, true).value();
  const auto& messages = prepared.request.body.at("messages").as_array();
  const std::string echoed(messages.back().at("content").as_string());
  const std::vector<std::string> chunks = EchoChunks(echoed);
  std::shared_ptr<const redact::PlaceholderVault> vault =
      with_vault ? prepared.vault
                 : std::make_shared<const redact::PlaceholderVault>("unused-key-16byte", "s");
  for (auto _ : state) {
    redact::StreamRestorer restorer(vault);
    for (const auto& chunk : chunks) benchmark::DoNotOptimize(restorer.OnChunk(chunk));
    benchmark::DoNotOptimize(restorer.Finish());
  }
  state.counters["events"] = static_cast<double>(chunks.size());
}

void BM_RestoreStream20Events(benchmark::State& state) {
  RestoreStream(state, true);
}
BENCHMARK(BM_RestoreStream20Events);

// Baseline: the same chunks through a restorer with nothing to restore (pass-through).
void BM_PassStream20EventsNoVault(benchmark::State& state) {
  RestoreStream(state, false);
}
BENCHMARK(BM_PassStream20EventsNoVault);

}  // namespace

BENCHMARK_MAIN();
