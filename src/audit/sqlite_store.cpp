#include "audit/sqlite_store.h"

#include <algorithm>
#include <limits>

#include "audit/hash_chain.h"

namespace lanewise::audit {
namespace {

// Version 2: a row of `audit_batches` per append (its seq range and the earliest and
// latest at_ms in it) instead of an index entry per event. A query `--since` and pruning
// find where to start with it: the first batch whose latest event is at or after the time
// holds the first event that is. Existing events get one batch row per 1024.
constexpr const char* kBatchIndexMigration = R"sql(
CREATE TABLE audit_batches(
  first_seq INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  min_at_ms INTEGER NOT NULL,
  max_at_ms INTEGER NOT NULL);
INSERT INTO audit_batches(first_seq, last_seq, min_at_ms, max_at_ms)
  SELECT MIN(seq), MAX(seq), MIN(at_ms), MAX(at_ms) FROM audit_events GROUP BY (seq - 1) / 1024;
DROP INDEX audit_events_time;
)sql";

// Migrations, applied in order; the store records how many have run (schema_version).
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE audit_events(
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  decision_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE INDEX audit_events_time ON audit_events(at_ms);
INSERT INTO audit_meta(key, value) VALUES
  ('head_seq', '0'), ('head_hash', '0000000000000000000000000000000000000000000000000000000000000000'),
  ('anchor_seq', '0'), ('anchor_hash', '0000000000000000000000000000000000000000000000000000000000000000');
)sql",
    // 2: the time index is per batch (one row per Append), not per event.
    kBatchIndexMigration,
};

constexpr std::size_t kRowsPerInsert = 32;

// INSERT of `rows` rows, their parameters numbered in order (7 per row).
std::string InsertSql(std::size_t rows) {
  std::string sql =
      "INSERT INTO audit_events(seq, kind, decision_id, at_ms, payload, prev_hash, hash) VALUES ";
  for (std::size_t i = 0; i < rows; ++i) sql += i == 0 ? "(?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?)";
  return sql;
}

std::int64_t ToInt(const std::string& text) {
  try {
    return text.empty() ? 0 : std::stoll(text);
  } catch (const std::exception&) {
    return -1;
  }
}

core::Result<std::string> ReadMetaValue(SqliteDb& db, std::string_view key) {
  auto stmt = db.Prepare("SELECT value FROM audit_meta WHERE key = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, key);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->Text(0) : std::string();
}

}  // namespace

core::Result<std::string> SqliteStore::ReadMeta(std::string_view key) {
  return ReadMetaValue(*db_, key);
}

core::Status SqliteStore::Scan(const EventScan& scan, const EventVisitor& visit) {
  // With a time, from the first batch that reaches it (kBatchIndexMigration); without,
  // every row (verify must see rows that no batch lists, too).
  const bool since = scan.since_ms != std::numeric_limits<std::int64_t>::min();
  auto rows = db_->Prepare(
      since ? "SELECT seq, kind, decision_id, at_ms, payload, prev_hash, hash FROM audit_events "
              "WHERE seq >= (SELECT first_seq FROM audit_batches WHERE max_at_ms >= ?1 "
              "ORDER BY first_seq LIMIT 1) AND at_ms >= ?1 AND (?2 = '' OR decision_id = ?2) "
              "ORDER BY seq"
            : "SELECT seq, kind, decision_id, at_ms, payload, prev_hash, hash FROM audit_events "
              "WHERE at_ms >= ?1 AND (?2 = '' OR decision_id = ?2) ORDER BY seq");
  if (!rows.ok()) return rows.status();
  rows->Bind(1, scan.since_ms);
  rows->Bind(2, std::string_view(scan.decision_id));
  StoredEvent event;
  while (true) {
    auto row = rows->Step();
    if (!row.ok()) return row.status();
    if (!*row) return core::Status::Ok();
    event.seq = rows->Int(0);
    event.kind = rows->Text(1);
    event.decision_id = rows->Text(2);
    event.at_ms = rows->Int(3);
    event.payload = rows->Text(4);
    event.prev_hash = rows->Text(5);
    event.hash = rows->Text(6);
    if (!visit(event)) return core::Status::Ok();
  }
}

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const StoreOptions& options) {
  auto db = SqliteDb::Open(options.sqlite_path, options.create);
  if (!db.ok()) return db.status();
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db.value()), options.chain_key));
  // NORMAL in WAL mode: a commit survives the process being killed (it is in the OS's
  // page cache); only a power loss may take the last commits.
  // 16 KB pages (new files only): a batch is written in a quarter of the WAL frames, and
  // the writer's CPU per record falls by a third. A larger WAL between checkpoints (2000
  // pages, 32 MB): a page the writer rewrites with every batch (the table's last leaf, the
  // time index's right edge, the meta row) is copied back once.
  if (auto s = store->db_->Exec("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; "
                                "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=2000;");
      !s.ok()) {
    return s;
  }
  if (auto s = store->Migrate(); !s.ok()) return s;
  auto read_head = store->db_->Prepare(
      "SELECT (SELECT value FROM audit_meta WHERE key = 'head_seq'), "
      "(SELECT value FROM audit_meta WHERE key = 'head_hash')");
  if (!read_head.ok()) return read_head.status();
  store->read_head_ = std::move(read_head.value());
  if (auto s = store->LoadHead(); !s.ok()) return s;
  auto insert = store->db_->Prepare(InsertSql(1));
  if (!insert.ok()) return insert.status();
  store->insert_ = std::move(insert.value());
  auto insert_many = store->db_->Prepare(InsertSql(kRowsPerInsert));
  if (!insert_many.ok()) return insert_many.status();
  store->insert_many_ = std::move(insert_many.value());
  auto insert_batch = store->db_->Prepare(
      "INSERT INTO audit_batches(first_seq, last_seq, min_at_ms, max_at_ms) VALUES (?1,?2,?3,?4)");
  if (!insert_batch.ok()) return insert_batch.status();
  store->insert_batch_ = std::move(insert_batch.value());
  auto set_meta = store->db_->Prepare("UPDATE audit_meta SET value = ?2 WHERE key = ?1");
  if (!set_meta.ok()) return set_meta.status();
  store->set_meta_ = std::move(set_meta.value());
  auto upsert_meta =
      store->db_->Prepare("INSERT OR REPLACE INTO audit_meta(key, value) VALUES (?1, ?2)");
  if (!upsert_meta.ok()) return upsert_meta.status();
  store->upsert_meta_ = std::move(upsert_meta.value());
  return store;
}

core::Status SqliteStore::Migrate() {
  if (auto s = db_->Exec("CREATE TABLE IF NOT EXISTS audit_meta(key TEXT PRIMARY KEY, value TEXT "
                         "NOT NULL)");
      !s.ok()) {
    return s;
  }
  auto version = ReadMetaValue(*db_, "schema_version");
  if (!version.ok()) return version.status();
  const std::int64_t applied = ToInt(version.value());
  constexpr std::int64_t kKnown = std::size(kMigrations);
  if (applied < 0 || applied > kKnown) {
    return core::Internal(
        "audit database schema version " + version.value() + " is newer than this lanewise knows",
        "audit_store");
  }
  for (std::int64_t i = applied; i < kKnown; ++i) {
    std::string sql = "BEGIN IMMEDIATE;";
    sql += kMigrations[i];
    sql += "INSERT OR REPLACE INTO audit_meta(key, value) VALUES ('schema_version', '" +
           std::to_string(i + 1) + "'); COMMIT;";
    if (auto s = db_->Exec(sql); !s.ok()) {
      (void)db_->Exec("ROLLBACK");
      return s;
    }
  }
  return core::Status::Ok();
}

core::Status SqliteStore::LoadHead() {
  auto row = read_head_.Step();  // one row: the meta rows are made by the first migration
  if (row.ok()) {
    head_seq_ = ToInt(read_head_.Text(0));
    head_hash_ = read_head_.Text(1);
  }
  read_head_.Reset();
  return row.status();
}

core::Status SqliteStore::Append(const std::vector<const AuditEvent*>& events,
                                 const JournalMark& mark) {
  if (events.empty()) return core::Status::Ok();
  if (auto s = db_->Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  // The head as committed, should another process have appended since (two gateways on
  // one file): the write lock is ours from here to COMMIT.
  if (auto s = LoadHead(); !s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  // The chain first, then the rows, kRowsPerInsert to a statement (a statement's own
  // overhead is as large as a row's).
  hashes_.resize(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const AuditEvent& e = *events[i];
    hashes_[i] = ChainHash(
        {i == 0 ? head_hash_ : hashes_[i - 1], head_seq_ + 1 + static_cast<std::int64_t>(i),
         EventKindName(e.kind), e.decision_id, e.at_ms, e.payload},
        key_);
  }
  core::Status failed;
  for (std::size_t first = 0; first < events.size() && failed.ok();) {
    const std::size_t rows = events.size() - first >= kRowsPerInsert ? kRowsPerInsert : 1;
    SqliteStatement& insert = rows == 1 ? insert_ : insert_many_;
    // Every parameter is bound for every row; the text is not copied (it outlives Step).
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t i = first + r;
      const AuditEvent& e = *events[i];
      const int p = static_cast<int>(r * 7);
      insert.Bind(p + 1, head_seq_ + 1 + static_cast<std::int64_t>(i));
      insert.BindView(p + 2, EventKindName(e.kind));
      insert.BindView(p + 3, e.decision_id);
      insert.Bind(p + 4, e.at_ms);
      insert.BindView(p + 5, e.payload);
      insert.BindView(p + 6, i == 0 ? head_hash_ : hashes_[i - 1]);
      insert.BindView(p + 7, hashes_[i]);
    }
    failed = insert.Step().status();
    insert.Reset();
    insert.ClearBindings();  // no pointer into the events is kept
    first += rows;
  }
  const std::int64_t seq = head_seq_ + static_cast<std::int64_t>(events.size());
  std::string hash = hashes_.back();
  if (failed.ok()) {
    std::int64_t min_at = events.front()->at_ms;
    std::int64_t max_at = min_at;
    for (const AuditEvent* e : events) {
      min_at = std::min(min_at, e->at_ms);
      max_at = std::max(max_at, e->at_ms);
    }
    insert_batch_.Bind(1, head_seq_ + 1);
    insert_batch_.Bind(2, seq);
    insert_batch_.Bind(3, min_at);
    insert_batch_.Bind(4, max_at);
    failed = insert_batch_.Step().status();
    insert_batch_.Reset();
  }
  if (failed.ok()) {
    for (const auto& [key, value] :
         {std::pair<std::string_view, std::string>{"head_seq", std::to_string(seq)},
          {"head_hash", hash}}) {
      set_meta_.Bind(1, key);
      set_meta_.Bind(2, value);
      auto done = set_meta_.Step();
      set_meta_.Reset();
      if (!done.ok()) failed = done.status();
    }
  }
  if (failed.ok() && !mark.key.empty()) {
    upsert_meta_.Bind(1, mark.key);
    upsert_meta_.Bind(2, std::to_string(mark.seq));
    failed = upsert_meta_.Step().status();
    upsert_meta_.Reset();
  }
  if (failed.ok()) failed = db_->Exec("COMMIT");
  if (!failed.ok()) {
    (void)db_->Exec("ROLLBACK");
    return failed;
  }
  head_seq_ = seq;
  head_hash_ = std::move(hash);
  return core::Status::Ok();
}

core::Result<std::int64_t> SqliteStore::PruneBefore(std::int64_t cutoff_ms) {
  // The prefix: every event before the first one recorded at or after the cutoff, which
  // is in the first batch whose latest event is.
  auto first_kept = db_->Prepare(
      "SELECT COALESCE((SELECT seq FROM audit_events WHERE seq >= (SELECT first_seq FROM "
      "audit_batches WHERE max_at_ms >= ?1 ORDER BY first_seq LIMIT 1) AND at_ms >= ?1 "
      "ORDER BY seq LIMIT 1), (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events))");
  if (!first_kept.ok()) return first_kept.status();
  first_kept->Bind(1, cutoff_ms);
  auto row = first_kept->Step();
  if (!row.ok()) return row.status();
  const std::int64_t last_pruned = first_kept->Int(0) - 1;

  auto anchor = db_->Prepare("SELECT seq, hash FROM audit_events WHERE seq = ?1");
  if (!anchor.ok()) return anchor.status();
  anchor->Bind(1, last_pruned);
  auto found = anchor->Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::int64_t{0};  // nothing to prune (or already pruned)
  const std::string anchor_hash = anchor->Text(1);
  auto previous_anchor = ReadMetaValue(*db_, "anchor_seq");
  if (!previous_anchor.ok()) return previous_anchor.status();

  if (auto s = db_->Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  auto remove = db_->Prepare("DELETE FROM audit_events WHERE seq <= ?1");
  if (!remove.ok()) {
    (void)db_->Exec("ROLLBACK");
    return remove.status();
  }
  remove->Bind(1, last_pruned);
  core::Status failed = remove->Step().status();
  // The batches go with their events; one that straddles the cut starts after it.
  if (failed.ok()) {
    failed =
        db_->Exec("DELETE FROM audit_batches WHERE last_seq <= " + std::to_string(last_pruned) +
                  "; UPDATE audit_batches SET first_seq = " + std::to_string(last_pruned + 1) +
                  " WHERE first_seq <= " + std::to_string(last_pruned) + ";");
  }
  for (const auto& [key, value] :
       {std::pair<std::string_view, std::string>{"anchor_seq", std::to_string(last_pruned)},
        {"anchor_hash", anchor_hash}}) {
    if (!failed.ok()) break;
    set_meta_.Bind(1, key);
    set_meta_.Bind(2, value);
    failed = set_meta_.Step().status();
    set_meta_.Reset();
  }
  if (failed.ok()) failed = db_->Exec("COMMIT");
  if (!failed.ok()) {
    (void)db_->Exec("ROLLBACK");
    return failed;
  }
  return last_pruned - ToInt(previous_anchor.value());  // the chain is contiguous
}

}  // namespace lanewise::audit
