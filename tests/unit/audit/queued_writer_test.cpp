#include "audit/queued_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

#include "audit/audit_query.h"
#include "audit/chain_verifier.h"
#include "audit/json_text.h"
#include "audit/payload_buffers.h"
#include "audit/sqlite_store.h"
#include "temp_db.h"

namespace lanewise::audit {
namespace {

AuditEvent OpenEvent(int i) {
  const std::string id = "dec_" + std::to_string(i);
  return {EventKind::kOpen, id, 1000 + i, R"({"decision_id":")" + id + R"("})"};
}

std::unique_ptr<SqliteStore> OpenStore(const std::string& path) {
  auto store = SqliteStore::Open({.sqlite_path = path, .create = true});
  EXPECT_TRUE(store.ok()) << store.status().message();
  return std::move(store.value());
}

std::size_t CountRecords(const std::string& path) {
  auto store = SqliteStore::Open({.sqlite_path = path, .create = false});
  EXPECT_TRUE(store.ok());
  auto records = QueryRecords(*store.value(), {});
  EXPECT_TRUE(records.ok());
  return records->size();
}

TEST(QueuedWriterTest, EveryEventIsDurableWhenItsCallbackRuns) {
  testing::TempDb db;
  QueuedWriter writer(OpenStore(db.path()), {});
  std::promise<core::Status> durable;
  ASSERT_TRUE(
      writer.Submit(OpenEvent(1), [&](const core::Status& s) { durable.set_value(s); }).ok());
  ASSERT_TRUE(durable.get_future().get().ok());
  // Another connection sees it: it was committed, not just queued.
  EXPECT_EQ(CountRecords(db.path()), 1u);
}

TEST(QueuedWriterTest, ManyThreadsShareFewCommitsAndTheChainHolds) {
  testing::TempDb db;
  QueuedWriter writer(OpenStore(db.path()), {});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        if (writer
                .Submit(OpenEvent(t * 1000 + i),
                        [&](const core::Status& s) {
                          if (s.ok()) ++ok;
                        })
                .ok()) {
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  writer.Stop();
  EXPECT_EQ(ok.load(), 1000);
  EXPECT_EQ(writer.Counters().written, 1000u);
  EXPECT_EQ(CountRecords(db.path()), 1000u);
  auto store = SqliteStore::Open({.sqlite_path = db.path(), .create = false});
  EXPECT_TRUE(VerifyChain(*store.value(), "")->intact);
}

TEST(QueuedWriterTest, AFullQueueRefusesAtOnceAndLosesNothingItAccepted) {
  testing::TempDb db;
  auto store = OpenStore(db.path());
  // Another connection holds the write lock: the writer thread waits on it (busy timeout),
  // so the queue fills up.
  auto blocker = SqliteDb::Open(db.path(), false);
  ASSERT_TRUE(blocker.ok());
  ASSERT_TRUE(blocker.value()->Exec("BEGIN EXCLUSIVE").ok());

  WriterOptions options;
  options.queue_capacity = 8;
  options.max_batch = 4;
  QueuedWriter writer(std::move(store), options);
  int accepted = 0;
  core::Status refused;
  for (int i = 0; i < 20; ++i) {
    core::Status s = writer.Submit(OpenEvent(i));
    if (s.ok()) {
      ++accepted;
    } else {
      refused = s;
    }
  }
  EXPECT_EQ(refused.reason(), "audit_queue_full");
  EXPECT_LE(accepted, 8 + 4);  // the queue, plus one batch taken by the writer
  EXPECT_GE(writer.Counters().dropped, 8u);
  EXPECT_EQ(writer.Counters().dropped + accepted, 20u);

  ASSERT_TRUE(blocker.value()->Exec("COMMIT").ok());
  writer.Stop();
  EXPECT_EQ(CountRecords(db.path()), static_cast<std::size_t>(accepted));
  EXPECT_EQ(writer.Submit(OpenEvent(99)).reason(), "audit_stopped");
}

TEST(QueuedWriterTest, RetentionPrunesOldRecordsAtStart) {
  testing::TempDb db;
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  {
    auto store = OpenStore(db.path());
    AuditEvent old_event = OpenEvent(1);
    old_event.at_ms = now_ms - 3LL * 24 * 3600 * 1000;  // three days ago
    AuditEvent recent = OpenEvent(2);
    recent.at_ms = now_ms - 3600 * 1000;  // an hour ago
    ASSERT_TRUE(store->Append({&old_event, &recent}).ok());
  }
  WriterOptions options;
  options.retention = std::chrono::hours(48);
  QueuedWriter writer(OpenStore(db.path()), options);
  writer.Stop();
  EXPECT_EQ(CountRecords(db.path()), 1u);
  auto store = SqliteStore::Open({.sqlite_path = db.path(), .create = false});
  EXPECT_TRUE(VerifyChain(*store.value(), "")->intact);
}

AuditEvent CloseEvent(int i) {
  return {EventKind::kClose, "dec_" + std::to_string(i), 2000 + i,
          R"({"outcome":"ok","attempts":[{"lane":"local"}]})"};
}

std::vector<StoredEvent> Rows(const std::string& path) {
  auto store = SqliteStore::Open({.sqlite_path = path, .create = false});
  EXPECT_TRUE(store.ok());
  std::vector<StoredEvent> rows;
  EXPECT_TRUE(store.value()
                  ->Scan({},
                         [&](const StoredEvent& e) {
                           rows.push_back(e);
                           return true;
                         })
                  .ok());
  return rows;
}

TEST(QueuedWriterTest, ADecisionOpenedAndClosedInOneBatchIsOneRow) {
  testing::TempDb db;
  WriterOptions options;
  options.flush_interval = std::chrono::milliseconds(200);  // one batch for all of them
  QueuedWriter writer(OpenStore(db.path()), options);
  // dec_1 and dec_2 open and close; dec_3 only opens (still running at the commit).
  ASSERT_TRUE(writer.Submit(OpenEvent(1)).ok());
  ASSERT_TRUE(writer.Submit(OpenEvent(2)).ok());
  ASSERT_TRUE(writer.Submit(CloseEvent(1)).ok());
  ASSERT_TRUE(writer.Submit(OpenEvent(3)).ok());
  ASSERT_TRUE(writer.Submit(CloseEvent(2)).ok());
  writer.Stop();
  EXPECT_EQ(writer.Counters().written, 5u);  // events, however they were stored
  const std::vector<StoredEvent> rows = Rows(db.path());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].kind, "record");
  EXPECT_EQ(rows[0].decision_id, "dec_1");
  EXPECT_EQ(rows[0].at_ms, 1001);  // the decision time
  EXPECT_EQ(rows[0].payload,
            R"({"decision_id":"dec_1","outcome":"ok","attempts":[{"lane":"local"}]})");
  EXPECT_EQ(rows[1].kind, "record");
  EXPECT_EQ(rows[1].decision_id, "dec_2");
  EXPECT_EQ(rows[2].kind, "open");
  EXPECT_EQ(rows[2].decision_id, "dec_3");

  auto store = SqliteStore::Open({.sqlite_path = db.path(), .create = false});
  EXPECT_TRUE(VerifyChain(*store.value(), "")->intact);
  auto records = QueryRecords(*store.value(), {});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ(records->at(0).at("complete"), true);
  EXPECT_EQ(records->at(0).at("outcome"), "ok");
  EXPECT_EQ(records->at(0).at("attempts").at(0).at("lane"), "local");
  EXPECT_EQ(records->at(2).at("complete"), false);
  EXPECT_EQ(records->at(2).at("outcome"), "incomplete");
}

TEST(QueuedWriterTest, ACloseInALaterBatchIsItsOwnRow) {
  testing::TempDb db;
  QueuedWriter writer(OpenStore(db.path()), {});
  std::promise<core::Status> committed;
  ASSERT_TRUE(
      writer.Submit(OpenEvent(1), [&](const core::Status& s) { committed.set_value(s); }).ok());
  ASSERT_TRUE(committed.get_future().get().ok());  // the open event is stored alone
  ASSERT_TRUE(writer.Submit(CloseEvent(1)).ok());
  writer.Stop();
  const std::vector<StoredEvent> rows = Rows(db.path());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].kind, "open");
  EXPECT_EQ(rows[1].kind, "close");
  auto store = SqliteStore::Open({.sqlite_path = db.path(), .create = false});
  auto records = QueryRecords(*store.value(), {});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->at(0).at("complete"), true);
  EXPECT_EQ(records->at(0).at("outcome"), "ok");
}

TEST(QueuedWriterTest, PayloadStringsComeBackToTheSubmittingThread) {
  testing::TempDb db;
  QueuedWriter writer(OpenStore(db.path()), {});
  AuditEvent big = OpenEvent(1);
  big.payload = R"({"decision_id":"dec_1","pad":")" + std::string(600, 'x') + R"("})";
  std::promise<core::Status> committed;
  ASSERT_TRUE(writer.Submit(big, [&](const core::Status& s) { committed.set_value(s); }).ok());
  ASSERT_TRUE(committed.get_future().get().ok());
  // The next Submit takes the emptied string into this thread's cache...
  while (IsRecyclable(TakePayloadBuffer())) {
  }
  ASSERT_TRUE(writer.Submit(OpenEvent(2)).ok());
  std::string buffer = TakePayloadBuffer();
  EXPECT_GE(buffer.capacity(), 600u);
  EXPECT_TRUE(buffer.empty());
  // ...where a payload is built in it.
  JsonText j(std::move(buffer), 16);
  j.BeginObject().Key("a").Int(1).EndObject();
  EXPECT_EQ(j.Take(), R"({"a":1})");
  writer.Stop();
  EXPECT_EQ(CountRecords(db.path()), 2u);
}

TEST(QueuedWriterTest, MergingKeepsEmptyPayloadsValid) {
  AuditEvent open{EventKind::kOpen, "dec_1", 1, "{}"};
  MergeDecisionRecord(open, {EventKind::kClose, "dec_1", 2, R"({"outcome":"ok"})"});
  EXPECT_EQ(open.payload, R"({"outcome":"ok"})");
  EXPECT_EQ(open.kind, EventKind::kRecord);
  AuditEvent other{EventKind::kOpen, "dec_2", 1, R"({"a":1})"};
  MergeDecisionRecord(other, {EventKind::kClose, "dec_2", 2, "{}"});
  EXPECT_EQ(other.payload, R"({"a":1})");
}

}  // namespace
}  // namespace lanewise::audit
