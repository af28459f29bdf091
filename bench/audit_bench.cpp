// Audit store benchmarks: the CPU one decision record costs (an open and a close event of
// realistic size), appended directly in batches, and through the QueuedWriter (with and
// without its journal) as the gateway uses it. A real SQLite file in $TMPDIR (WAL,
// synchronous=NORMAL). Numbers, not a test.
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "audit/queued_writer.h"
#include "audit/sqlite_store.h"
#include "core/ids.h"

namespace {

using namespace lanewise;

// The payloads of one decision as the gateway writes them (a redacted cloud attempt).
const char* kOpen =
    R"({"decision_id":"dec_3c8351e08d0ff1325305bee2","request_id":"req_6bf6ce5497f7fe3e88b8355b","time_ms":1796293133289,"tenant":"clinic-7","policy_version":"ab40bbf3a54e4f10","class":{"detected":"confidential","declared":"","effective":"confidential"},"evidence_required":true,"reasons":["rule:chat-cloud-first","redaction_required"],"route_source":"rule:chat-cloud-first","model":"chat","front":"openai","stream":true,"no_route":false,"plan":[{"lane":"cloud","role":"primary","redact":true,"estimated_cost_usd":0.0021},{"lane":"local","role":"fallback","redact":false,"estimated_cost_usd":0.0002}],"entities":{"EMAIL_ADDRESS":1,"PERSON":2},"estimated_input_tokens":412,"max_output_tokens":512,"difficulty":0.41,"estimated_cost_usd":0.0021,"strong_cost_usd":0.0021})";
const char* kClose =
    R"({"outcome":"ok","http_status":200,"served_by":"cloud","upstream_model":"gpt-4o-mini","attempts":[{"lane":"cloud","lane_kind":"managed","role":"primary","outcome":"ok","bytes_sent":1834,"latency_ms":412,"estimated_cost_usd":0.0021,"redacted":{"EMAIL_ADDRESS":1,"PERSON":2}}],"duration_ms":1203.5,"end_ms":1796293134492})";

struct TempFile {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / core::NewId("lanewise-audit-bench-");
  TempFile() { std::filesystem::create_directories(dir); }
  ~TempFile() { std::filesystem::remove_all(dir); }
  std::string path() const { return (dir / "audit.db").string(); }
};

audit::AuditEvent Event(audit::EventKind kind, const std::string& id) {
  return {kind, id, 1796293133289, kind == audit::EventKind::kOpen ? kOpen : kClose};
}

// Appending records (open + close) straight to the store, `range(0)` records per commit.
void BM_AppendBatch(benchmark::State& state) {
  TempFile file;
  auto store = audit::SqliteStore::Open({.sqlite_path = file.path(), .create = true});
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::vector<audit::AuditEvent> events;
  for (std::size_t i = 0; i < batch; ++i) {
    events.push_back(Event(audit::EventKind::kOpen, "dec_" + std::to_string(i)));
    events.push_back(Event(audit::EventKind::kClose, "dec_" + std::to_string(i)));
  }
  std::vector<const audit::AuditEvent*> pointers;
  for (const auto& e : events) pointers.push_back(&e);
  for (auto _ : state) {
    if (!store.value()->Append(pointers).ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
  state.counters["us_per_record"] =
      benchmark::Counter(static_cast<double>(state.iterations() * batch),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_AppendBatch)->Arg(1)->Arg(16)->Arg(256)->Unit(benchmark::kMicrosecond);

// The same records as the writer stores a decision whose open and close events reach it in
// one batch (most of them under load): one `record` row each.
void BM_AppendRecords(benchmark::State& state) {
  TempFile file;
  auto store = audit::SqliteStore::Open({.sqlite_path = file.path(), .create = true});
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::vector<audit::AuditEvent> events;
  for (std::size_t i = 0; i < batch; ++i) {
    const std::string id = "dec_" + std::to_string(i);
    events.push_back(Event(audit::EventKind::kOpen, id));
    audit::MergeDecisionRecord(events.back(), Event(audit::EventKind::kClose, id));
  }
  std::vector<const audit::AuditEvent*> pointers;
  for (const auto& e : events) pointers.push_back(&e);
  for (auto _ : state) {
    if (!store.value()->Append(pointers).ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
  state.counters["us_per_record"] =
      benchmark::Counter(static_cast<double>(state.iterations() * batch),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_AppendRecords)->Arg(256)->Unit(benchmark::kMicrosecond);

// The gateway's path since the journal: 256 requests submit their open and close events
// (no waiting; the writer stores each pair as one record row), then the iteration waits for the
// writer to have committed them; the process's CPU (submitting threads and writer) per record.
// range(0): 1 with the journal, 0 without.
void BM_QueuedRecords(benchmark::State& state) {
  constexpr int kRecords = 256;
  TempFile file;
  auto store = audit::SqliteStore::Open({.sqlite_path = file.path(), .create = true});
  audit::WriterOptions options;
  if (state.range(0) != 0) options.journal_path = file.path() + ".pending";
  auto writer = audit::QueuedWriter::Start(std::move(store.value()), options);
  std::uint64_t target = 0;
  int n = 0;
  for (auto _ : state) {
    for (int i = 0; i < kRecords; ++i) {
      const std::string id = "dec_" + std::to_string(n++);
      (void)writer.value()->Submit(Event(audit::EventKind::kOpen, id));
      (void)writer.value()->Submit(Event(audit::EventKind::kClose, id));
    }
    target += 2 * kRecords;
    while (writer.value()->Counters().written < target) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling costs CPU too
    }
  }
  writer.value()->Stop();
  state.counters["cpu_us_per_record"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kRecords),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_QueuedRecords)->Arg(0)->Arg(1)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
