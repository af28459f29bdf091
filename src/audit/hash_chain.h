// The audit trail's hash chain. Each stored event carries
//   hash = H(prev_hash, seq, kind, decision_id, at_ms, payload)
// where H is SHA-256, or HMAC-SHA-256 when a chain key is configured (then a forger who
// can write the database still cannot recompute the chain). Editing, inserting or
// deleting an event breaks the chain at that point; `lanewise audit verify` walks it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"
#include "audit/store.h"

namespace lanewise::audit {

// 64 zeros: the prev_hash of the first event of a fresh store.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct ChainLink {
  std::string_view prev_hash;
  std::int64_t seq = 0;
  std::string_view kind;
  std::string_view decision_id;
  std::int64_t at_ms = 0;
  std::string_view payload;
};

// Lowercase hex of the link's hash. `key` empty: SHA-256; else HMAC-SHA-256 with it.
std::string ChainHash(const ChainLink& link, std::string_view key);

// The rows that append `events` after the head (`head_seq`, `head_hash`), in order.
std::vector<StoredEvent> ChainEvents(std::int64_t head_seq, const std::string& head_hash,
                                     const std::vector<const AuditEvent*>& events,
                                     std::string_view key);

}  // namespace lanewise::audit
