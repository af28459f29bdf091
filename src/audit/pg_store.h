// PgStore: the audit trail in a PostgreSQL database, for fleets: several gateways may
// append to one database. Same tables and columns as the SQLite store (sqlite_store.h);
// the schema's migrations are recorded in `audit_schema_migrations` (one row per applied
// version) and applied under an advisory lock, so replicas starting together apply each
// once.
//
// Every Append runs in one transaction that first takes an advisory lock and reads the
// chain's head from `audit_meta`: appends from several gateways serialize into one chain.
#pragma once

#include <memory>
#include <string>

#include "audit/pg_db.h"
#include "audit/store.h"

namespace lanewise::audit {

class PgStore final : public Store {
 public:
  // Connects to `options.postgres` and applies the schema's migrations.
  static core::Result<std::unique_ptr<PgStore>> Open(const StoreOptions& options);

  core::Status Append(const std::vector<const AuditEvent*>& events,
                      const JournalMark& mark = {}) override;
  core::Result<std::int64_t> PruneBefore(std::int64_t cutoff_ms) override;
  core::Result<std::string> ReadMeta(std::string_view key) override;
  core::Status Scan(const EventScan& scan, const EventVisitor& visit) override;
  core::Status ExecSql(std::string_view sql) override { return db_->Exec(sql); }
  std::string_view backend() const override { return "postgres"; }

 private:
  PgStore(std::unique_ptr<PgConnection> db, std::string key)
      : db_(std::move(db)), key_(std::move(key)) {}
  core::Status Migrate();
  // Runs `body` inside BEGIN .. COMMIT holding the trail's advisory lock; rolls back when
  // it fails.
  core::Status LockedTransaction(const std::function<core::Status()>& body);

  std::unique_ptr<PgConnection> db_;
  std::string key_;
};

}  // namespace lanewise::audit
