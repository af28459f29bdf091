#include "audit/pg_store.h"

#include <algorithm>
#include <limits>

#include "audit/hash_chain.h"

namespace lanewise::audit {
namespace {

// The advisory lock every writer of the trail takes (an arbitrary constant: "lanewise").
constexpr const char* kLock = "SELECT pg_advisory_xact_lock(7164243937873593189)";

// Migrations, applied in order; version i+1 is recorded once kMigrations[i] has run.
// The tables and columns are the SQLite store's.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE audit_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE audit_events(
  seq BIGINT PRIMARY KEY,
  kind TEXT NOT NULL,
  decision_id TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX audit_events_time ON audit_events(at_ms);
INSERT INTO audit_meta(key, value) VALUES
  ('head_seq', '0'), ('head_hash', '0000000000000000000000000000000000000000000000000000000000000000'),
  ('anchor_seq', '0'), ('anchor_hash', '0000000000000000000000000000000000000000000000000000000000000000');
)sql",
    // 2: the time index is per batch (one row per Append), not per event; as in SQLite.
    R"sql(
CREATE TABLE audit_batches(
  first_seq BIGINT PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  min_at_ms BIGINT NOT NULL,
  max_at_ms BIGINT NOT NULL);
INSERT INTO audit_batches(first_seq, last_seq, min_at_ms, max_at_ms)
  SELECT MIN(seq), MAX(seq), MIN(at_ms), MAX(at_ms) FROM audit_events GROUP BY (seq - 1) / 1024;
DROP INDEX audit_events_time;
)sql",
};

// Rows per INSERT statement (7 parameters each; PostgreSQL allows 65535 per statement).
constexpr std::size_t kRowsPerInsert = 1000;

std::int64_t ToInt(const std::string& text) {
  try {
    return text.empty() ? 0 : std::stoll(text);
  } catch (const std::exception&) {
    return -1;
  }
}

std::string InsertSql(std::size_t rows) {
  std::string sql =
      "INSERT INTO audit_events(seq, kind, decision_id, at_ms, payload, prev_hash, hash) VALUES ";
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ',';
    sql += '(';
    for (std::size_t c = 0; c < 7; ++c) {
      if (c > 0) sql += ',';
      sql += '$' + std::to_string(r * 7 + c + 1);
    }
    sql += ')';
  }
  return sql;
}

}  // namespace

core::Result<std::unique_ptr<PgStore>> PgStore::Open(const StoreOptions& options) {
  auto db = PgConnection::Connect(options.postgres);
  if (!db.ok()) return db.status();
  std::unique_ptr<PgStore> store(new PgStore(std::move(db.value()), options.chain_key));
  // Quiet: CREATE ... IF NOT EXISTS notices are not news.
  if (auto s = store->db_->Exec("SET client_min_messages = warning"); !s.ok()) return s;
  if (auto s = store->Migrate(); !s.ok()) return s;
  return store;
}

core::Status PgStore::LockedTransaction(const std::function<core::Status()>& body) {
  if (auto s = db_->Exec("BEGIN"); !s.ok()) return s;
  core::Status status = db_->Exec(kLock);
  if (status.ok()) status = body();
  if (status.ok()) status = db_->Exec("COMMIT");
  if (!status.ok()) (void)db_->Exec("ROLLBACK");
  return status;
}

core::Status PgStore::Migrate() {
  return LockedTransaction([this]() -> core::Status {
    if (auto s = db_->Exec("CREATE TABLE IF NOT EXISTS audit_schema_migrations("
                           "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL "
                           "DEFAULT now())");
        !s.ok()) {
      return s;
    }
    auto applied = db_->Query("SELECT COALESCE(MAX(version), 0) FROM audit_schema_migrations");
    if (!applied.ok()) return applied.status();
    const std::int64_t version = applied->Int(0, 0);
    constexpr std::int64_t kKnown = std::size(kMigrations);
    if (version > kKnown) {
      return core::Internal("audit database schema version " + std::to_string(version) +
                                " is newer than this lanewise knows",
                            "audit_store");
    }
    for (std::int64_t i = version; i < kKnown; ++i) {
      if (auto s = db_->Exec(kMigrations[i]); !s.ok()) return s;
      const std::string next = std::to_string(i + 1);
      auto recorded =
          db_->Query("INSERT INTO audit_schema_migrations(version) VALUES ($1::int)", {next});
      if (!recorded.ok()) return recorded.status();
    }
    return core::Status::Ok();
  });
}

core::Result<std::string> PgStore::ReadMeta(std::string_view key) {
  auto row = db_->Query("SELECT value FROM audit_meta WHERE key = $1", {key});
  if (!row.ok()) return row.status();
  return row->Rows() > 0 ? row->Text(0, 0) : std::string();
}

core::Status PgStore::Append(const std::vector<const AuditEvent*>& events,
                             const JournalMark& mark) {
  if (events.empty()) return core::Status::Ok();
  return LockedTransaction([&]() -> core::Status {
    // The head as committed by whichever gateway appended last.
    auto head = db_->Query(
        "SELECT (SELECT value FROM audit_meta WHERE key = 'head_seq'), "
        "(SELECT value FROM audit_meta WHERE key = 'head_hash')");
    if (!head.ok()) return head.status();
    const std::vector<StoredEvent> rows =
        ChainEvents(ToInt(head->Text(0, 0)), head->Text(0, 1), events, key_);
    std::vector<std::string> numbers;  // seq and at_ms as text, alive for the statement
    numbers.reserve(2 * kRowsPerInsert);
    for (std::size_t first = 0; first < rows.size(); first += kRowsPerInsert) {
      const std::size_t n = std::min(kRowsPerInsert, rows.size() - first);
      numbers.clear();
      std::vector<PgParam> params;
      params.reserve(7 * n);
      for (std::size_t i = first; i < first + n; ++i) {
        numbers.push_back(std::to_string(rows[i].seq));
        numbers.push_back(std::to_string(rows[i].at_ms));
      }
      for (std::size_t i = first; i < first + n; ++i) {
        const StoredEvent& r = rows[i];
        const std::size_t k = 2 * (i - first);
        params.insert(params.end(), {numbers[k], r.kind, r.decision_id, numbers[k + 1], r.payload,
                                     r.prev_hash, r.hash});
      }
      if (auto s = db_->Query(InsertSql(n), params); !s.ok()) return s.status();
    }
    const std::string seq = std::to_string(rows.back().seq);
    std::int64_t min_at = rows.front().at_ms;
    std::int64_t max_at = min_at;
    for (const StoredEvent& r : rows) {
      min_at = std::min(min_at, r.at_ms);
      max_at = std::max(max_at, r.at_ms);
    }
    auto batch = db_->Query(
        "INSERT INTO audit_batches(first_seq, last_seq, min_at_ms, max_at_ms) "
        "VALUES ($1::bigint, $2::bigint, $3::bigint, $4::bigint)",
        {std::to_string(rows.front().seq), seq, std::to_string(min_at), std::to_string(max_at)});
    if (!batch.ok()) return batch.status();
    auto moved = db_->Query(
        "UPDATE audit_meta SET value = CASE key WHEN 'head_seq' THEN $1 ELSE $2 END "
        "WHERE key IN ('head_seq', 'head_hash')",
        {seq, rows.back().hash});
    if (!moved.ok() || mark.key.empty()) return moved.status();
    const std::string journal_seq = std::to_string(mark.seq);
    auto marked = db_->Query(
        "INSERT INTO audit_meta(key, value) VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        {mark.key, journal_seq});
    return marked.status();
  });
}

core::Result<std::int64_t> PgStore::PruneBefore(std::int64_t cutoff_ms) {
  std::int64_t pruned = 0;
  core::Status status = LockedTransaction([&]() -> core::Status {
    const std::string cutoff = std::to_string(cutoff_ms);
    // The prefix: every event before the first one recorded at or after the cutoff, which
    // is in the first batch whose latest event is.
    auto first_kept = db_->Query(
        "SELECT COALESCE((SELECT seq FROM audit_events WHERE seq >= (SELECT first_seq FROM "
        "audit_batches WHERE max_at_ms >= $1::bigint ORDER BY first_seq LIMIT 1) AND "
        "at_ms >= $1::bigint ORDER BY seq LIMIT 1), "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events))",
        {cutoff});
    if (!first_kept.ok()) return first_kept.status();
    const std::string last_pruned = std::to_string(first_kept->Int(0, 0) - 1);
    auto anchor = db_->Query("SELECT hash FROM audit_events WHERE seq = $1::bigint", {last_pruned});
    if (!anchor.ok()) return anchor.status();
    if (anchor->Rows() == 0) return core::Status::Ok();  // nothing to prune (or already pruned)
    auto removed = db_->Query("DELETE FROM audit_events WHERE seq <= $1::bigint", {last_pruned});
    if (!removed.ok()) return removed.status();
    // The batches go with their events; one that straddles the cut starts after it.
    auto batches =
        db_->Query("DELETE FROM audit_batches WHERE last_seq <= $1::bigint", {last_pruned});
    if (!batches.ok()) return batches.status();
    batches = db_->Query(
        "UPDATE audit_batches SET first_seq = $1::bigint + 1 WHERE first_seq <= $1::bigint",
        {last_pruned});
    if (!batches.ok()) return batches.status();
    auto previous = db_->Query("SELECT value FROM audit_meta WHERE key = 'anchor_seq'");
    if (!previous.ok()) return previous.status();
    pruned = ToInt(last_pruned) - ToInt(previous->Text(0, 0));  // the chain is contiguous
    auto moved = db_->Query(
        "UPDATE audit_meta SET value = CASE key WHEN 'anchor_seq' THEN $1 ELSE $2 END "
        "WHERE key IN ('anchor_seq', 'anchor_hash')",
        {last_pruned, anchor->Text(0, 0)});
    return moved.status();
  });
  if (!status.ok()) return status;
  return pruned;
}

core::Status PgStore::Scan(const EventScan& scan, const EventVisitor& visit) {
  const std::string since = std::to_string(scan.since_ms);
  StoredEvent event;
  // With a time, from the first batch that reaches it; without, every row (verify must
  // see rows that no batch lists, too).
  const bool from_batch = scan.since_ms != std::numeric_limits<std::int64_t>::min();
  return db_->Stream(
      from_batch
          ? "SELECT seq, kind, decision_id, at_ms, payload, prev_hash, hash FROM audit_events "
            "WHERE seq >= (SELECT first_seq FROM audit_batches WHERE max_at_ms >= $1::bigint "
            "ORDER BY first_seq LIMIT 1) AND at_ms >= $1::bigint AND ($2 = '' OR decision_id = "
            "$2) ORDER BY seq"
          : "SELECT seq, kind, decision_id, at_ms, payload, prev_hash, hash FROM audit_events "
            "WHERE at_ms >= $1::bigint AND ($2 = '' OR decision_id = $2) ORDER BY seq",
      {since, scan.decision_id}, [&](const PgResult& row) {
        event.seq = row.Int(0, 0);
        event.kind = row.Text(0, 1);
        event.decision_id = row.Text(0, 2);
        event.at_ms = row.Int(0, 3);
        event.payload = row.Text(0, 4);
        event.prev_hash = row.Text(0, 5);
        event.hash = row.Text(0, 6);
        return visit(event);
      });
}

}  // namespace lanewise::audit
