#include "audit/chain_verifier.h"

#include "audit/hash_chain.h"

namespace lanewise::audit {
namespace {

void Fail(ChainReport& report, std::int64_t seq, std::string problem, std::string detail) {
  report.intact = false;
  report.first_bad_seq = seq;
  report.problem = std::move(problem);
  report.detail = std::move(detail);
}

}  // namespace

core::Result<ChainReport> VerifyChain(Store& store, const std::string& chain_key) {
  ChainReport report;
  auto anchor_seq = store.ReadMeta("anchor_seq");
  auto anchor_hash = store.ReadMeta("anchor_hash");
  auto head_seq = store.ReadMeta("head_seq");
  auto head_hash = store.ReadMeta("head_hash");
  for (const auto* r : {&anchor_seq, &anchor_hash, &head_seq, &head_hash}) {
    if (!r->ok()) return r->status();
  }
  report.head_seq = std::stoll(head_seq.value().empty() ? "0" : head_seq.value());
  report.head_hash = head_hash.value();

  std::int64_t expected_seq = std::stoll(anchor_seq.value().empty() ? "0" : anchor_seq.value()) + 1;
  std::string expected_prev = anchor_hash.value();
  bool broken = false;
  core::Status scanned = store.Scan({}, [&](const StoredEvent& e) {
    ++report.events_checked;
    if (e.seq > expected_seq) {
      Fail(report, expected_seq, "deleted",
           "events " + std::to_string(expected_seq) + ".." + std::to_string(e.seq - 1) +
               " are missing");
    } else if (e.seq < expected_seq) {
      Fail(report, e.seq, "inserted", "an event before the chain's anchor");
    } else if (e.prev_hash != expected_prev) {
      // A stored link to something other than the previous event: inserted here (or the
      // previous event was replaced wholesale).
      Fail(report, e.seq, "inserted",
           "event " + std::to_string(e.seq) + " does not link to event " +
               std::to_string(e.seq - 1));
    } else if (ChainHash({e.prev_hash, e.seq, e.kind, e.decision_id, e.at_ms, e.payload},
                         chain_key) != e.hash) {
      Fail(report, e.seq, "edited",
           "event " + std::to_string(e.seq) + " (" + e.kind + " " + e.decision_id +
               ") does not match its hash");
    } else {
      expected_prev = e.hash;
      ++expected_seq;
      return true;
    }
    broken = true;
    return false;
  });
  if (!scanned.ok()) return scanned;
  if (broken) return report;
  if (expected_seq - 1 != report.head_seq || expected_prev != report.head_hash) {
    Fail(report, expected_seq - 1 < report.head_seq ? expected_seq : report.head_seq + 1,
         expected_seq - 1 < report.head_seq ? "deleted" : "inserted",
         "the chain ends at event " + std::to_string(expected_seq - 1) +
             " but the recorded head is event " + std::to_string(report.head_seq));
  }
  return report;
}

}  // namespace lanewise::audit
