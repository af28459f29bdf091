#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "audit/audit_query.h"
#include "audit/chain_verifier.h"
#include "audit/hash_chain.h"
#include "audit/pg_db.h"
#include "audit/sqlite_db.h"
#include "audit/store.h"
#include "pg_server.h"
#include "temp_db.h"

namespace lanewise::audit {
namespace {

AuditEvent Open(const std::string& id, std::int64_t at, const std::string& cls,
                const std::string& tenant = "acme") {
  boost::json::object p;
  p["decision_id"] = id;
  p["time_ms"] = at;
  p["tenant"] = tenant;
  p["class"] = {{"detected", cls}, {"declared", ""}, {"effective", cls}};
  p["plan"] = boost::json::array{boost::json::object{{"lane", "local"}}};
  return {EventKind::kOpen, id, at, boost::json::serialize(p)};
}

AuditEvent Close(const std::string& id, std::int64_t at, const std::string& lane,
                 const std::string& outcome) {
  boost::json::object p;
  p["outcome"] = outcome;
  p["served_by"] = outcome == "ok" ? lane : "";
  p["attempts"] = boost::json::array{
      boost::json::object{{"lane", lane}, {"outcome", outcome}, {"bytes_sent", 120}}};
  return {EventKind::kClose, id, at, boost::json::serialize(p)};
}

// Where a test's store lives: a fresh SQLite file, or a fresh database on the process's
// PostgreSQL server.
class Backend {
 public:
  explicit Backend(const std::string& name) {
    if (name == "postgres") {
      testing::PgServer& server = testing::PgServer::Get();
      if (!server.ok()) {
        error_ = server.error();
        return;
      }
      options_.postgres = server.CreateDatabase();
    } else {
      options_.sqlite_path = file_.path();
    }
  }
  const std::string& error() const { return error_; }
  const StoreOptions& options() const { return options_; }
  // Runs SQL on the database as it is, without the store (and its migrations).
  core::Status RawSql(const std::string& sql) {
    if (!options_.postgres.empty()) {
      auto db = PgConnection::Connect(options_.postgres);
      return db.ok() ? db.value()->Exec(sql) : db.status();
    }
    auto db = SqliteDb::Open(options_.sqlite_path, true);
    return db.ok() ? db.value()->Exec(sql) : db.status();
  }
  // The first column of the first row of a query, as text.
  core::Result<std::string> RawValue(const std::string& sql) {
    if (!options_.postgres.empty()) {
      auto db = PgConnection::Connect(options_.postgres);
      if (!db.ok()) return db.status();
      auto r = db.value()->Query(sql);
      if (!r.ok()) return r.status();
      return r->Text(0, 0);
    }
    auto db = SqliteDb::Open(options_.sqlite_path, false);
    if (!db.ok()) return db.status();
    auto stmt = db.value()->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    return stmt->Text(0);
  }
  core::Result<std::unique_ptr<Store>> Open(const std::string& key, bool create = true) {
    StoreOptions options = options_;
    options.chain_key = key;
    options.create = create;
    return OpenStore(options);
  }

 private:
  testing::TempDb file_;
  StoreOptions options_;
  std::string error_;
};

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

class AuditStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  AuditStoreTest() : db_(GetParam()) {}
  void SetUp() override {
    ASSERT_TRUE(db_.error().empty()) << db_.error();
    auto opened = db_.Open(key_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened.value());
  }
  void Append(std::vector<AuditEvent> events) {
    std::vector<const AuditEvent*> pointers;
    for (const auto& e : events) pointers.push_back(&e);
    ASSERT_TRUE(store_->Append(pointers).ok());
  }
  // Six events: three decisions, the last one incomplete.
  void AppendSample() {
    Append({Open("dec_a", 1000, "public"), Close("dec_a", 1100, "cloud", "ok"),
            Open("dec_b", 2000, "phi", "clinic"), Close("dec_b", 2100, "local", "ok")});
    Append({Open("dec_c", 3000, "phi", "clinic"), Open("dec_d", 4000, "public")});
    Append({Close("dec_d", 4100, "cloud", "lane_timeout")});
  }
  ChainReport Verify() {
    auto report = VerifyChain(*store_, key_);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? report.value() : ChainReport{};
  }
  void Sql(const std::string& sql) {
    core::Status s = store_->ExecSql(sql);
    ASSERT_TRUE(s.ok()) << sql << ": " << s.message();
  }
  std::string HashOf(std::int64_t seq) {
    std::string hash;
    EXPECT_TRUE(store_
                    ->Scan({},
                           [&](const StoredEvent& e) {
                             if (e.seq == seq) hash = e.hash;
                             return e.seq < seq;
                           })
                    .ok());
    return hash;
  }

  Backend db_;
  std::string key_;
  std::unique_ptr<Store> store_;
};

TEST_P(AuditStoreTest, AnIntactChainVerifies) {
  AppendSample();
  ChainReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem << ": " << report.detail;
  EXPECT_EQ(report.events_checked, 7);
  EXPECT_EQ(report.head_seq, 7);
  EXPECT_EQ(report.head_hash, HashOf(7));
}

TEST_P(AuditStoreTest, TheChainContinuesAcrossReopening) {
  AppendSample();
  store_.reset();
  auto reopened = db_.Open(key_, false);
  ASSERT_TRUE(reopened.ok());
  store_ = std::move(reopened.value());
  Append({Open("dec_e", 5000, "public")});
  EXPECT_EQ(store_->ReadMeta("head_seq").value(), "8");
  EXPECT_TRUE(Verify().intact);
}

TEST_P(AuditStoreTest, VerifyFindsAnEditedRecord) {
  AppendSample();
  Sql("UPDATE audit_events SET payload = replace(payload, '\"phi\"', '\"public\"') WHERE seq = 3");
  ChainReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.problem, "edited");
  EXPECT_EQ(report.first_bad_seq, 3);
}

TEST_P(AuditStoreTest, VerifyFindsAnEditedTimestamp) {
  AppendSample();
  Sql("UPDATE audit_events SET at_ms = 999 WHERE seq = 5");
  ChainReport report = Verify();
  EXPECT_EQ(report.problem, "edited");
  EXPECT_EQ(report.first_bad_seq, 5);
}

TEST_P(AuditStoreTest, VerifyFindsADeletedRecord) {
  AppendSample();
  Sql("DELETE FROM audit_events WHERE seq = 4");
  ChainReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.problem, "deleted");
  EXPECT_EQ(report.first_bad_seq, 4);
}

TEST_P(AuditStoreTest, VerifyFindsTheLastRecordDeleted) {
  AppendSample();
  Sql("DELETE FROM audit_events WHERE seq = 7");
  ChainReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.problem, "deleted");
}

TEST_P(AuditStoreTest, VerifyFindsARecordInsertedInTheMiddle) {
  AppendSample();
  // A forger who knows the algorithm: makes room at seq 4, links the new event to event 3
  // and hashes it correctly. Event 5 (the old 4) no longer links to it.
  Sql("UPDATE audit_events SET seq = seq + 100 WHERE seq >= 4");
  Sql("UPDATE audit_events SET seq = seq - 99 WHERE seq >= 104");
  const std::string prev = HashOf(3);
  const std::string payload = R"({"decision_id":"dec_x"})";
  const std::string hash = ChainHash({prev, 4, "open", "dec_x", 2500, payload}, key_);
  Sql("INSERT INTO audit_events VALUES (4, 'open', 'dec_x', 2500, '" + payload + "', '" + prev +
      "', '" + hash + "')");
  ChainReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.problem, "inserted");
  EXPECT_EQ(report.first_bad_seq, 5);
}

TEST_P(AuditStoreTest, VerifyFindsARecordAppendedBehindTheWritersBack) {
  AppendSample();
  const std::string prev = HashOf(7);
  const std::string payload = R"({"decision_id":"dec_x"})";
  const std::string hash = ChainHash({prev, 8, "open", "dec_x", 9000, payload}, key_);
  Sql("INSERT INTO audit_events VALUES (8, 'open', 'dec_x', 9000, '" + payload + "', '" + prev +
      "', '" + hash + "')");
  ChainReport report = Verify();
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.problem, "inserted");
}

TEST_P(AuditStoreTest, AForgerWithoutTheKeyCannotRewriteTheChain) {
  auto store = db_.Open("secret-key");
  ASSERT_TRUE(store.ok());
  AuditEvent e = Open("dec_a", 1000, "phi");
  ASSERT_TRUE(store.value()->Append({&e}).ok());
  // Rewrite the only event and its hash with the unkeyed algorithm.
  const std::string payload = R"({"class":{"effective":"public"}})";
  const std::string hash = ChainHash({kGenesisHash, 1, "open", "dec_a", 1000, payload}, "");
  // (The fixture's store, opened unkeyed on the same database, is not used here.)
  ASSERT_TRUE(store.value()
                  ->ExecSql("UPDATE audit_events SET payload = '" + payload + "', hash = '" + hash +
                            "' WHERE seq = 1; UPDATE audit_meta SET value = '" + hash +
                            "' WHERE key = 'head_hash'")
                  .ok());
  auto report = VerifyChain(*store.value(), "secret-key");
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->problem, "edited");
  // Without the key the same chain looks intact: the key is what makes this evidence.
  EXPECT_TRUE(VerifyChain(*store.value(), "")->intact);
}

TEST_P(AuditStoreTest, QueryMergesOpenAndCloseAndMarksIncompleteRecords) {
  AppendSample();
  auto all = QueryRecords(*store_, {});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ(all->at(0).at("outcome"), "ok");
  EXPECT_EQ(all->at(0).at("complete"), true);
  EXPECT_EQ(all->at(2).at("decision_id"), "dec_c");
  EXPECT_EQ(all->at(2).at("outcome"), "incomplete");
  EXPECT_EQ(all->at(2).at("complete"), false);
  EXPECT_EQ(all->at(3).at("outcome"), "lane_timeout");
}

TEST_P(AuditStoreTest, QueryFilters) {
  AppendSample();
  auto count = [&](QueryFilter f) {
    auto r = QueryRecords(*store_, f);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->size() : 999u;
  };
  EXPECT_EQ(count({.data_class = "phi"}), 2u);
  EXPECT_EQ(count({.tenant = "clinic"}), 2u);
  EXPECT_EQ(count({.outcome = "incomplete"}), 1u);
  EXPECT_EQ(count({.outcome = "ok"}), 2u);
  EXPECT_EQ(count({.lane = "cloud"}), 2u);
  EXPECT_EQ(count({.lane = "local"}), 2u);  // dec_b served; dec_c planned, incomplete
  EXPECT_EQ(count({.decision_id = "dec_d"}), 1u);
  EXPECT_EQ(count({.since_ms = 2000, .until_ms = 4000}), 2u);
  EXPECT_EQ(count({.data_class = "phi", .outcome = "ok"}), 1u);
  EXPECT_EQ(count({.limit = 3}), 3u);
}

TEST_P(AuditStoreTest, CsvHasOneLinePerRecord) {
  AppendSample();
  auto all = QueryRecords(*store_, {});
  ASSERT_TRUE(all.ok());
  const std::string csv = RecordsToCsv(all.value());
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  EXPECT_NE(csv.find("dec_d,4000,acme,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",lane_timeout,"), std::string::npos);
}

TEST_P(AuditStoreTest, PruningKeepsTheChainVerifiable) {
  AppendSample();
  auto pruned = store_->PruneBefore(2050);  // events 1..3 (at 1000, 1100, 2000)
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned.value(), 3);
  ChainReport report = Verify();
  EXPECT_TRUE(report.intact) << report.detail;
  EXPECT_EQ(report.events_checked, 4);
  // ...but deleting the oldest remaining event is still found.
  Sql("DELETE FROM audit_events WHERE seq = 4");
  EXPECT_EQ(Verify().problem, "deleted");
}

TEST_P(AuditStoreTest, TwoWritersOnOneTrailShareOneChain) {
  // Two gateways appending to one database (PostgreSQL fleets; SQLite serializes writers
  // the same way, one process at a time): every append continues the other's chain.
  auto second = db_.Open(key_);
  ASSERT_TRUE(second.ok()) << second.status().message();
  for (int i = 0; i < 10; ++i) {
    AuditEvent e = Open("dec_" + std::to_string(i), 1000 + i, "public");
    Store& writer = i % 2 == 0 ? *store_ : *second.value();
    ASSERT_TRUE(writer.Append({&e}).ok());
  }
  ChainReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem << ": " << report.detail;
  EXPECT_EQ(report.events_checked, 10);
}

TEST_P(AuditStoreTest, ABatchIsAllOrNothing) {
  AppendSample();
  // Event 8 already exists (a forged row), so a batch of two fails on its first row...
  const std::string payload = R"({"decision_id":"dec_x"})";
  Sql("INSERT INTO audit_events VALUES (9, 'open', 'dec_x', 9000, '" + payload + "', 'x', 'y')");
  AuditEvent a = Open("dec_y", 9100, "public");
  AuditEvent b = Open("dec_z", 9200, "public");
  EXPECT_FALSE(store_->Append({&a, &b}).ok());
  // ...and neither of its events, nor a moved head, is left behind.
  EXPECT_EQ(store_->ReadMeta("head_seq").value(), "7");
  auto found = QueryRecords(*store_, {.decision_id = "dec_y"});
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
}

TEST_P(AuditStoreTest, BigBatchesKeepTheirOrderAndTheChain) {
  // 75 events: the SQLite store writes them 32 rows to a statement, the rest one by one.
  std::vector<AuditEvent> events;
  for (int i = 0; i < 75; ++i) {
    const std::string id = "dec_" + std::to_string(i);
    events.push_back(i % 2 == 0 ? Open(id, 1000 + i, "public")
                                : Close(id, 1000 + i, "local", "ok"));
  }
  Append(events);
  Append({events.begin(), events.begin() + 32});
  ChainReport report = Verify();
  EXPECT_TRUE(report.intact) << report.problem << ": " << report.detail;
  EXPECT_EQ(report.events_checked, 107);
  std::vector<StoredEvent> rows;
  ASSERT_TRUE(store_
                  ->Scan({},
                         [&](const StoredEvent& e) {
                           rows.push_back(e);
                           return true;
                         })
                  .ok());
  ASSERT_EQ(rows.size(), 107u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const AuditEvent& e = events[i < 75 ? i : i - 75];
    EXPECT_EQ(rows[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(rows[i].decision_id, e.decision_id);
    EXPECT_EQ(rows[i].kind, EventKindName(e.kind));
    EXPECT_EQ(rows[i].at_ms, e.at_ms);
    EXPECT_EQ(rows[i].payload, e.payload);
    EXPECT_EQ(rows[i].prev_hash, i == 0 ? std::string(kGenesisHash) : rows[i - 1].hash);
  }
}

TEST_P(AuditStoreTest, ABigBatchIsAllOrNothing) {
  AppendSample();
  // A forged row where the batch's 40th event goes: the second 32-row statement fails.
  Sql("INSERT INTO audit_events VALUES (47, 'open', 'dec_x', 9000, '{}', 'x', 'y')");
  std::vector<AuditEvent> events;
  for (int i = 0; i < 70; ++i) events.push_back(Open("dec_y" + std::to_string(i), 9100, "public"));
  std::vector<const AuditEvent*> pointers;
  for (const auto& e : events) pointers.push_back(&e);
  EXPECT_FALSE(store_->Append(pointers).ok());
  EXPECT_EQ(store_->ReadMeta("head_seq").value(), "7");
  auto found = QueryRecords(*store_, {.decision_id = "dec_y0"});
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
}

AuditEvent Record(const std::string& id, std::int64_t at, const std::string& cls,
                  const std::string& lane, const std::string& outcome) {
  AuditEvent record = Open(id, at, cls);
  MergeDecisionRecord(record, Close(id, at + 100, lane, outcome));
  return record;
}

TEST_P(AuditStoreTest, ARecordRowIsACompleteDecision) {
  Append({Record("dec_a", 1000, "public", "cloud", "ok"), Open("dec_b", 2000, "phi")});
  Append({Record("dec_c", 3000, "phi", "local", "lane_timeout")});
  auto all = QueryRecords(*store_, {});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->at(0).at("complete"), true);
  EXPECT_EQ(all->at(0).at("served_by"), "cloud");
  EXPECT_EQ(all->at(0).at("class").at("effective"), "public");
  EXPECT_EQ(all->at(1).at("outcome"), "incomplete");
  EXPECT_EQ(all->at(2).at("outcome"), "lane_timeout");
  auto cloud = QueryRecords(*store_, {.lane = "cloud"});
  ASSERT_TRUE(cloud.ok());
  EXPECT_EQ(cloud->size(), 1u);
  EXPECT_TRUE(Verify().intact);
  // A record row is chained like any event: an edit of its close half is found.
  Sql("UPDATE audit_events SET payload = replace(payload, '\"lane_timeout\"', '\"ok\"') "
      "WHERE seq = 3");
  ChainReport report = Verify();
  EXPECT_EQ(report.problem, "edited");
  EXPECT_EQ(report.first_bad_seq, 3);
}

// The time index is a row per append (audit_batches): a query --since and pruning start
// from the first batch that reaches the time, and are exact inside it.
TEST_P(AuditStoreTest, SinceAndPruningUseTheBatchIndexExactly) {
  // Batches [1..3] at 1000..1200, [4..5] at 5000 and 900 (an old event after a new one),
  // [6..8] at 6000..6200.
  Append({Open("dec_1", 1000, "public"), Open("dec_2", 1100, "public"),
          Open("dec_3", 1200, "public")});
  Append({Open("dec_4", 5000, "public"), Open("dec_5", 900, "public")});
  Append({Open("dec_6", 6000, "public"), Open("dec_7", 6100, "public"),
          Open("dec_8", 6200, "public")});
  auto ids = [&](std::int64_t since) {
    std::vector<std::string> found;
    EXPECT_TRUE(store_
                    ->Scan({.since_ms = since},
                           [&](const StoredEvent& e) {
                             found.push_back(e.decision_id);
                             return true;
                           })
                    .ok());
    return found;
  };
  EXPECT_EQ(ids(1100),
            (std::vector<std::string>{"dec_2", "dec_3", "dec_4", "dec_6", "dec_7", "dec_8"}));
  EXPECT_EQ(ids(900).size(), 8u);
  EXPECT_EQ(ids(5000), (std::vector<std::string>{"dec_4", "dec_6", "dec_7", "dec_8"}));
  EXPECT_EQ(ids(6100), (std::vector<std::string>{"dec_7", "dec_8"}));
  EXPECT_TRUE(ids(7000).empty());
  // Pruning before 1150: events 1 and 2, inside the first batch.
  auto pruned = store_->PruneBefore(1150);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned.value(), 2);
  EXPECT_EQ(ids(1000), (std::vector<std::string>{"dec_3", "dec_4", "dec_6", "dec_7", "dec_8"}));
  EXPECT_TRUE(Verify().intact);
  // Before 6000: events 3..5 (event 5 at 900 goes with the prefix before event 6).
  pruned = store_->PruneBefore(6000);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned.value(), 3);
  EXPECT_EQ(ids(0), (std::vector<std::string>{"dec_6", "dec_7", "dec_8"}));
  EXPECT_TRUE(Verify().intact);
  // Everything.
  pruned = store_->PruneBefore(10000);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned.value(), 3);
  EXPECT_TRUE(ids(0).empty());
  EXPECT_TRUE(Verify().intact);
  Append({Open("dec_9", 7000, "public")});
  EXPECT_EQ(ids(6500), (std::vector<std::string>{"dec_9"}));
  EXPECT_TRUE(Verify().intact);
}

// A trail written by the first schema (an index entry per event, no audit_batches) is
// migrated when a store opens it: same chain, a batch index built from its events.
TEST_P(AuditStoreTest, AVersion1TrailIsMigrated) {
  Backend old(GetParam());
  ASSERT_TRUE(old.error().empty()) << old.error();
  const bool pg = GetParam() == "postgres";
  // Schema version 1 exactly as the first release created it.
  std::string v1 = pg ? "CREATE TABLE audit_schema_migrations(version INTEGER PRIMARY KEY, "
                        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now());"
                        "INSERT INTO audit_schema_migrations(version) VALUES (1);"
                      : "";
  v1 += R"sql(
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
)sql";
  if (!pg) {
    // SQLite's rowid column is INTEGER PRIMARY KEY, and the version is a meta row.
    v1.replace(v1.find("seq BIGINT"), 10, "seq INTEGER");
    v1 += "INSERT INTO audit_meta(key, value) VALUES ('schema_version', '1');";
  }
  ASSERT_TRUE(old.RawSql(v1).ok());
  // 2,500 events (three batch rows of the migration: 1024, 1024, 452), a second apart.
  std::vector<AuditEvent> events;
  for (int i = 0; i < 2500; ++i) {
    const std::string id = "dec_" + std::to_string(i);
    events.push_back(Open(id, 1'000'000 + 1000LL * i, i % 2 ? "phi" : "public"));
  }
  std::vector<const AuditEvent*> pointers;
  for (const auto& e : events) pointers.push_back(&e);
  const std::vector<StoredEvent> rows = ChainEvents(0, std::string(kGenesisHash), pointers, key_);
  std::string insert = "BEGIN;";
  for (const StoredEvent& r : rows) {
    insert += "INSERT INTO audit_events VALUES (" + std::to_string(r.seq) + ",'" + r.kind + "','" +
              r.decision_id + "'," + std::to_string(r.at_ms) + ",'" + r.payload + "','" +
              r.prev_hash + "','" + r.hash + "');";
  }
  insert += "UPDATE audit_meta SET value = '2500' WHERE key = 'head_seq';";
  insert += "UPDATE audit_meta SET value = '" + rows.back().hash + "' WHERE key = 'head_hash';";
  insert += "COMMIT;";
  ASSERT_TRUE(old.RawSql(insert).ok());

  auto opened = old.Open(key_, false);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store& store = *opened.value();
  auto report = VerifyChain(store, key_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem << ": " << report->detail;
  EXPECT_EQ(report->events_checked, 2500);
  // The batch index covers the old events, in 1024-event rows.
  const std::string batch_text =
      "first_seq || '-' || last_seq || ':' || min_at_ms || '-' || max_at_ms";
  auto batches = old.RawValue(pg ? "SELECT string_agg(" + batch_text +
                                       ", ' ' ORDER BY first_seq) FROM audit_batches"
                                 : "SELECT group_concat(b, ' ') FROM (SELECT " + batch_text +
                                       " AS b FROM audit_batches ORDER BY first_seq)");
  ASSERT_TRUE(batches.ok()) << batches.status().message();
  EXPECT_EQ(batches.value(),
            "1-1024:1000000-2023000 1025-2048:2024000-3047000 2049-2500:3048000-3499000");
  auto count = [&](std::int64_t since) {
    auto r = QueryRecords(store, {.since_ms = since});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->size() : 0u;
  };
  EXPECT_EQ(count(1'000'000 + 1000LL * 2000), 500u);
  EXPECT_EQ(count(0), 2500u);
  // The per-event index is gone (dropping it again fails).
  EXPECT_FALSE(store.ExecSql("DROP INDEX audit_events_time").ok());
  // The chain goes on, and pruning works on the migrated index.
  AuditEvent next = Open("dec_next", 9'000'000, "public");
  ASSERT_TRUE(store.Append({&next}).ok());
  auto pruned = store.PruneBefore(1'000'000 + 1000LL * 1500);
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(pruned.value(), 1500);
  EXPECT_EQ(count(0), 1001u);
  report = VerifyChain(store, key_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem << ": " << report->detail;
  EXPECT_EQ(report->head_seq, 2501);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace lanewise::audit
