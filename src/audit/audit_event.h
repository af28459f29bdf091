// AuditEvent: one append to the audit trail. A decision yields two: `kOpen` when the
// decision is made (before any byte goes to a lane) and `kClose` when the request ends.
// A decision with an open event and no close event is an incomplete record (a crash, or
// a close that could not be queued): never a missing one.
//
// `kRecord` is both at once: the audit writer stores an open and a close event that reach
// it in the same batch as one row (MergeDecisionRecord), so that a decision that ends
// before its open event is stored costs one row and one link of the chain, not two.
//
// The payload is a serialized JSON object of ids, names, counts and numbers built by the
// front (api/decision_evidence.cpp); never raw values or prompt text. It is built as text
// on the request's thread, so the writer thread only chains and stores it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lanewise::audit {

enum class EventKind { kOpen, kClose, kRecord };
std::string_view EventKindName(EventKind kind);  // "open" | "close" | "record"

struct AuditEvent {
  EventKind kind = EventKind::kOpen;
  std::string decision_id;
  std::int64_t at_ms = 0;  // unix milliseconds: decision time (open, record), end time (close)
  std::string payload;     // a JSON object
};

// Turns `open` into the kRecord event of its decision: its payload becomes the open
// payload's members followed by the close payload's (the two have no member in common),
// its time stays the decision time (the close payload carries `end_ms`).
void MergeDecisionRecord(AuditEvent& open, const AuditEvent& close);

}  // namespace lanewise::audit
