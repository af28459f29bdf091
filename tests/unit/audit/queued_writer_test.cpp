#include "audit/queued_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

#include "audit/audit_query.h"
#include "audit/chain_verifier.h"
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

}  // namespace
}  // namespace lanewise::audit
