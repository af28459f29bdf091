// Store: the audit trail's persistence, one interface over SQLite (sqlite_store.h, the
// embedded default) and PostgreSQL (pg_store.h, for fleets). Both keep the same schema:
// an append-only table of chained events (`audit_events`: `open`, `close`, or `record`
// for both at once), its time index, a row per append (`audit_batches`), and a small
// meta table (`audit_meta`: the chain's head and, after pruning, its anchor).
//
// A Store is used by one thread at a time: the audit writer thread (queued_writer.h) or a
// CLI command.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"
#include "core/result.h"

namespace lanewise::audit {

// One row of `audit_events`.
struct StoredEvent {
  std::int64_t seq = 0;
  std::string kind;  // "open" | "close" | "record"
  std::string decision_id;
  std::int64_t at_ms = 0;
  std::string payload;
  std::string prev_hash;
  std::string hash;
};

// Which events a Scan visits (always in seq order).
struct EventScan {
  std::int64_t since_ms = std::numeric_limits<std::int64_t>::min();  // at_ms >= since
  std::string decision_id;                                           // empty: every decision
};

// How far the store has taken a journal's entries (event_journal.h): meta `key` is set to
// `seq` in the same transaction as the events. An empty key sets nothing.
struct JournalMark {
  std::string key;
  std::int64_t seq = 0;
};

// Return false to stop the scan.
using EventVisitor = std::function<bool(const StoredEvent&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Appends `events` in one transaction, each chained onto the previous, and one row of
  // the time index for them: all or none.
  virtual core::Status Append(const std::vector<const AuditEvent*>& events,
                              const JournalMark& mark = {}) = 0;

  // Deletes the oldest events, those recorded before `cutoff_ms`, as a prefix of the
  // chain (an old event after a newer one stays), and moves the anchor so that `verify`
  // still sees an unbroken chain. Returns how many events were deleted.
  virtual core::Result<std::int64_t> PruneBefore(std::int64_t cutoff_ms) = 0;

  // A meta value ("" when absent): head_seq, head_hash, anchor_seq, anchor_hash,
  // journal_seq.
  virtual core::Result<std::string> ReadMeta(std::string_view key) = 0;

  virtual core::Status Scan(const EventScan& scan, const EventVisitor& visit) = 0;

  // Runs SQL statements as they are (tests tamper with the trail through this; the CLI
  // never does).
  virtual core::Status ExecSql(std::string_view sql) = 0;

  virtual std::string_view backend() const = 0;  // "sqlite" | "postgres"
};

struct StoreOptions {
  std::string sqlite_path;  // one of these two
  std::string postgres;     // libpq connection string or postgresql:// URI
  std::string chain_key;    // empty: plain SHA-256 chain; else HMAC-SHA-256 (hash_chain.h)
  bool create = true;       // SQLite: false means the file must exist (CLI commands)
};

// Opens the configured backend and applies its schema migrations.
core::Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

// True when `db` names a PostgreSQL database (a postgres:// or postgresql:// URI, or a
// key=value connection string) rather than a SQLite file.
bool IsPostgresLocation(std::string_view db);

}  // namespace lanewise::audit
