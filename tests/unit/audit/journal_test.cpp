// The journal that makes accepted audit events survive kill -9 without the data path
// waiting for their commit: a child process writes events and is killed before its writer
// commits them; the next start appends them, once, on both backends.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "audit/audit_query.h"
#include "audit/chain_verifier.h"
#include "audit/event_journal.h"
#include "audit/queued_writer.h"
#include "pg_server.h"
#include "temp_db.h"

namespace lanewise::audit {
namespace {

AuditEvent OpenEvent(int i) {
  const std::string id = "dec_" + std::to_string(i);
  return {EventKind::kOpen, id, 1000 + i,
          R"({"decision_id":")" + id + R"(","n":)" + std::to_string(i) + "}"};
}

class JournalTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      testing::PgServer& server = testing::PgServer::Get();
      ASSERT_TRUE(server.ok()) << server.error();
      store_options_.postgres = server.CreateDatabase();
    } else {
      store_options_.sqlite_path = dir_.path();
    }
    journal_ = dir_.path() + ".pending";
  }
  std::shared_ptr<QueuedWriter> StartWriter(std::chrono::milliseconds flush) {
    auto store = OpenStore(store_options_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    WriterOptions options;
    options.journal_path = journal_;
    options.flush_interval = flush;
    auto writer = QueuedWriter::Start(std::move(store.value()), options);
    EXPECT_TRUE(writer.ok()) << writer.status().message();
    return writer.ok() ? writer.value() : nullptr;
  }
  boost::json::array Records() {
    auto store = OpenStore(store_options_);
    EXPECT_TRUE(store.ok());
    auto report = VerifyChain(*store.value(), "");
    EXPECT_TRUE(report.ok() && report->intact);
    auto records = QueryRecords(*store.value(), {});
    EXPECT_TRUE(records.ok());
    return records.ok() ? records.value() : boost::json::array{};
  }
  // In a child process: `committed` events waited for until committed, then `pending`
  // more accepted, then kill -9 before the writer's next batch (a 10 s gather).
  void RunAndKill(int committed, int pending) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto writer = StartWriter(std::chrono::seconds(10));
      for (int i = 0; i < committed; ++i) {
        std::promise<void> done;
        if (!writer->Submit(OpenEvent(i), [&](const core::Status&) { done.set_value(); }).ok()) {
          _exit(3);
        }
        done.get_future().wait();
      }
      for (int i = committed; i < committed + pending; ++i) {
        if (!writer->Submit(OpenEvent(i)).ok()) _exit(3);
      }
      raise(SIGKILL);
      _exit(4);
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  }

  testing::TempDb dir_;
  StoreOptions store_options_;
  std::string journal_;
};

TEST_P(JournalTest, EventsAcceptedBeforeKill9AreInTheStoreAfterTheNextStart) {
  RunAndKill(/*committed=*/0, /*pending=*/40);
  EXPECT_EQ(Records().size(), 0u) << "killed before its first commit";
  auto writer = StartWriter(std::chrono::milliseconds(20));
  EXPECT_EQ(writer->recovered(), 40);
  writer->Stop();
  const boost::json::array records = Records();
  ASSERT_EQ(records.size(), 40u);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(records[i].at("decision_id").as_string(), "dec_" + std::to_string(i));
    EXPECT_EQ(records[i].at("outcome"), "incomplete");
  }
  // A clean stop leaves nothing behind to recover.
  EXPECT_EQ(StartWriter(std::chrono::milliseconds(20))->recovered(), 0);
}

TEST_P(JournalTest, EventsAlreadyCommittedAreNotAppendedTwice) {
  RunAndKill(/*committed=*/5, /*pending=*/7);
  EXPECT_EQ(Records().size(), 5u);
  auto writer = StartWriter(std::chrono::milliseconds(20));
  EXPECT_EQ(writer->recovered(), 7);
  ASSERT_TRUE(writer->Submit(OpenEvent(100)).ok());
  writer->Stop();
  const boost::json::array records = Records();
  ASSERT_EQ(records.size(), 13u);
  EXPECT_EQ(records[12].at("decision_id"), "dec_100");
}

INSTANTIATE_TEST_SUITE_P(Backends, JournalTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

TEST(EventJournalTest, RotatesAndDropsTheOldFileOnceItIsStored) {
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  auto journal = EventJournal::Open(path, /*rotate_bytes=*/200);
  ASSERT_TRUE(journal.ok());
  EventJournal& j = *journal.value();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(j.Append(OpenEvent(i)).ok());
  ASSERT_TRUE(j.Stored(2).ok());  // over 200 bytes, not all stored: rotated
  EXPECT_TRUE(std::filesystem::exists(path + ".old"));
  ASSERT_TRUE(j.Append(OpenEvent(5)).ok());
  {
    // What a restart would find: both files, in order.
    auto reread = EventJournal::Open(path);
    ASSERT_TRUE(reread.ok());
    EXPECT_EQ(reread.value()->id(), j.id());
    std::vector<JournalEntry> found = reread.value()->TakeFound();
    ASSERT_EQ(found.size(), 6u);
    for (int i = 0; i < 6; ++i) EXPECT_EQ(found[i].seq, i + 1);
    EXPECT_EQ(found[5].event.decision_id, "dec_5");
    EXPECT_EQ(found[5].event.payload, OpenEvent(5).payload);
  }
  ASSERT_TRUE(j.Stored(5).ok());  // the old file's entries (1..5) are stored
  EXPECT_FALSE(std::filesystem::exists(path + ".old"));
  ASSERT_TRUE(j.Stored(6).ok());  // everything: the file starts over
  auto empty = EventJournal::Open(path);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value()->TakeFound().empty());
}

TEST(EventJournalTest, ATornLastLineIsNotAnEntry) {
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  {
    auto journal = EventJournal::Open(path);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE(journal.value()->Append(OpenEvent(1)).ok());
  }
  std::ofstream(path, std::ios::app) << "2 open 1002 dec_2 {\"decision";
  auto reread = EventJournal::Open(path);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread.value()->TakeFound().size(), 1u);
}

}  // namespace
}  // namespace lanewise::audit
