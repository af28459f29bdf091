// PatternDatabase: one compiled Hyperscan block-mode database and the per-thread
// scratch space needed to scan with it.
//
// Immutable after Compile and safe to share between threads: every thread that scans
// gets its own hs_scratch_t, cloned on first use from a prototype and cached in a small
// thread-local table keyed by the database's unique id (so a reloaded database never
// reuses a scratch built for another one).
#pragma once

#include <hs/hs.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace lanewise::inspect {

struct PatternSpec {
  std::string expression;
  unsigned int flags = 0;  // HS_FLAG_*; HS_FLAG_SOM_LEFTMOST is added when som is set
  unsigned int id = 0;     // reported with every match
  bool som = true;         // report match starts (leftmost); without it `from` is 0
};

struct RawMatch {
  unsigned int id;
  std::uint32_t from;
  std::uint32_t to;
};

class PatternDatabase {
 public:
  // Compiles all patterns into one database. On error the Status carries Hyperscan's
  // message and `failed_index` (if given) the index of the failing pattern, or -1.
  static core::Result<std::shared_ptr<const PatternDatabase>> Compile(
      const std::vector<PatternSpec>& patterns, int* failed_index = nullptr);

  // Checks that one expression compiles on its own; the message is Hyperscan's.
  static core::Status Check(const std::string& expression, unsigned int flags);

  ~PatternDatabase();
  PatternDatabase(const PatternDatabase&) = delete;
  PatternDatabase& operator=(const PatternDatabase&) = delete;

  // Appends every match (each end offset reported by Hyperscan, with its leftmost
  // start) to `out`. Never throws; fails only if Hyperscan does.
  core::Status Scan(std::string_view text, std::vector<RawMatch>& out) const;

 private:
  PatternDatabase(hs_database_t* db, hs_scratch_t* prototype);
  hs_scratch_t* ThreadScratch() const;

  hs_database_t* db_;
  hs_scratch_t* prototype_;
  std::uint64_t uid_;
};

}  // namespace lanewise::inspect
