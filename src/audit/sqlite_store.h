// SqliteStore: the audit trail in one SQLite file (WAL). Append-only table of chained
// events plus a small meta table holding the chain's head and, after pruning, its anchor
// (the last pruned event's seq and hash). One writer: the store is owned by the audit
// writer thread (queued_writer.h) or by a CLI command, never shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "audit/sqlite_db.h"
#include "core/result.h"

namespace lanewise::audit {

struct StoreOptions {
  std::string path;
  std::string chain_key;  // empty: plain SHA-256 chain; else HMAC-SHA-256 (hash_chain.h)
  bool create = true;     // false: the file must exist (CLI commands)
};

class SqliteStore {
 public:
  // Opens the file, turns on WAL and applies the schema's migrations.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const StoreOptions& options);

  // Appends `events` in one transaction, each chained onto the previous: all or none.
  core::Status Append(const std::vector<const AuditEvent*>& events);

  // Deletes the oldest events, those recorded before `cutoff_ms`, as a prefix of the
  // chain (an old event after a newer one stays), and moves the anchor so that `verify`
  // still sees an unbroken chain. Returns how many events were deleted.
  core::Result<std::int64_t> PruneBefore(std::int64_t cutoff_ms);

  SqliteDb& db() { return *db_; }
  std::int64_t head_seq() const { return head_seq_; }
  const std::string& head_hash() const { return head_hash_; }

 private:
  SqliteStore(std::unique_ptr<SqliteDb> db, std::string key) : db_(std::move(db)), key_(key) {}
  core::Status Migrate();
  core::Status LoadHead();

  std::unique_ptr<SqliteDb> db_;
  std::string key_;
  SqliteStatement insert_;
  SqliteStatement set_meta_;
  std::int64_t head_seq_ = 0;
  std::string head_hash_;
};

// Reads a meta value ("" when absent).
core::Result<std::string> ReadMeta(SqliteDb& db, std::string_view key);

}  // namespace lanewise::audit
