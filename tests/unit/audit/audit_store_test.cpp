#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "audit/audit_query.h"
#include "audit/chain_verifier.h"
#include "audit/hash_chain.h"
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

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace lanewise::audit
