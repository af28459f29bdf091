// VerifyChain: walks the audit trail from its anchor to its head and reports the first
// place where an event was edited, inserted or deleted.
#pragma once

#include <cstdint>
#include <string>

#include "audit/store.h"
#include "core/result.h"

namespace lanewise::audit {

struct ChainReport {
  bool intact = true;
  std::int64_t events_checked = 0;
  std::int64_t first_bad_seq = 0;  // 0 when intact
  std::string problem;             // "edited" | "inserted" | "deleted" | "head_mismatch"
  std::string detail;
  std::int64_t head_seq = 0;  // as stored in the meta table; anchor this hash elsewhere
  std::string head_hash;
};

core::Result<ChainReport> VerifyChain(Store& store, const std::string& chain_key);

}  // namespace lanewise::audit
