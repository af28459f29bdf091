// SqliteStore: the audit trail in one SQLite file (WAL), the embedded default Store.
// Append-only table of chained events, a time index with a row per append, and a small
// meta table holding the chain's head and, after pruning, its anchor (the last pruned
// event's seq and hash). One writer: the
// store is owned by the audit writer thread (queued_writer.h) or by a CLI command, never
// shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "audit/sqlite_db.h"
#include "audit/store.h"
#include "core/result.h"

namespace lanewise::audit {

class SqliteStore final : public Store {
 public:
  // Opens the file (`options.sqlite_path`), turns on WAL and applies the schema's
  // migrations.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const StoreOptions& options);

  core::Status Append(const std::vector<const AuditEvent*>& events,
                      const JournalMark& mark = {}) override;
  core::Result<std::int64_t> PruneBefore(std::int64_t cutoff_ms) override;
  core::Result<std::string> ReadMeta(std::string_view key) override;
  core::Status Scan(const EventScan& scan, const EventVisitor& visit) override;
  core::Status ExecSql(std::string_view sql) override { return db_->Exec(sql); }
  std::string_view backend() const override { return "sqlite"; }

  SqliteDb& db() { return *db_; }
  std::int64_t head_seq() const { return head_seq_; }
  const std::string& head_hash() const { return head_hash_; }

 private:
  SqliteStore(std::unique_ptr<SqliteDb> db, std::string key) : db_(std::move(db)), key_(key) {}
  core::Status Migrate();
  core::Status LoadHead();

  std::unique_ptr<SqliteDb> db_;
  std::string key_;
  SqliteStatement insert_;           // one row
  SqliteStatement insert_many_;      // kRowsPerInsert rows
  std::vector<std::string> hashes_;  // Append's, kept for its capacity
  SqliteStatement insert_batch_;     // a row of audit_batches
  SqliteStatement read_head_;        // head_seq, head_hash
  SqliteStatement set_meta_;
  SqliteStatement upsert_meta_;
  std::int64_t head_seq_ = 0;
  std::string head_hash_;
};

}  // namespace lanewise::audit
