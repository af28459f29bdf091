#include "audit/chain_verifier.h"

#include "audit/hash_chain.h"
#include "audit/sqlite_store.h"

namespace lanewise::audit {
namespace {

void Fail(ChainReport& report, std::int64_t seq, std::string problem, std::string detail) {
  report.intact = false;
  report.first_bad_seq = seq;
  report.problem = std::move(problem);
  report.detail = std::move(detail);
}

}  // namespace

core::Result<ChainReport> VerifyChain(SqliteDb& db, const std::string& chain_key) {
  ChainReport report;
  auto anchor_seq = ReadMeta(db, "anchor_seq");
  auto anchor_hash = ReadMeta(db, "anchor_hash");
  auto head_seq = ReadMeta(db, "head_seq");
  auto head_hash = ReadMeta(db, "head_hash");
  for (const auto* r : {&anchor_seq, &anchor_hash, &head_seq, &head_hash}) {
    if (!r->ok()) return r->status();
  }
  report.head_seq = std::stoll(head_seq.value().empty() ? "0" : head_seq.value());
  report.head_hash = head_hash.value();

  auto rows = db.Prepare(
      "SELECT seq, kind, decision_id, at_ms, payload, prev_hash, hash FROM audit_events "
      "ORDER BY seq");
  if (!rows.ok()) return rows.status();
  std::int64_t expected_seq = std::stoll(anchor_seq.value().empty() ? "0" : anchor_seq.value()) + 1;
  std::string expected_prev = anchor_hash.value();
  while (true) {
    auto row = rows->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const std::int64_t seq = rows->Int(0);
    const std::string kind = rows->Text(1);
    const std::string decision_id = rows->Text(2);
    const std::int64_t at_ms = rows->Int(3);
    const std::string payload = rows->Text(4);
    const std::string prev_hash = rows->Text(5);
    const std::string hash = rows->Text(6);
    ++report.events_checked;
    if (seq > expected_seq) {
      Fail(report, expected_seq, "deleted",
           "events " + std::to_string(expected_seq) + ".." + std::to_string(seq - 1) +
               " are missing");
      return report;
    }
    if (seq < expected_seq) {
      Fail(report, seq, "inserted", "an event before the chain's anchor");
      return report;
    }
    const std::string recomputed =
        ChainHash({prev_hash, seq, kind, decision_id, at_ms, payload}, chain_key);
    if (prev_hash != expected_prev) {
      // A stored link to something other than the previous event: inserted here (or the
      // previous event was replaced wholesale).
      Fail(report, seq, "inserted",
           "event " + std::to_string(seq) + " does not link to event " + std::to_string(seq - 1));
      return report;
    }
    if (recomputed != hash) {
      Fail(report, seq, "edited",
           "event " + std::to_string(seq) + " (" + kind + " " + decision_id +
               ") does not match its hash");
      return report;
    }
    expected_prev = hash;
    ++expected_seq;
  }
  if (expected_seq - 1 != report.head_seq || expected_prev != report.head_hash) {
    Fail(report, expected_seq - 1 < report.head_seq ? expected_seq : report.head_seq + 1,
         expected_seq - 1 < report.head_seq ? "deleted" : "inserted",
         "the chain ends at event " + std::to_string(expected_seq - 1) +
             " but the recorded head is event " + std::to_string(report.head_seq));
  }
  return report;
}

}  // namespace lanewise::audit
