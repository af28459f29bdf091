// The journal that makes accepted audit events survive kill -9 without the data path
// waiting for their commit: a child process writes events and is killed before its writer
// commits them; the next start appends them, once, on both backends.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
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

// Writes `text` into the journal file at `offset` (what a process killed in the middle of a
// copy, or a power loss, leaves behind).
void WriteAt(const std::string& path, std::uint64_t offset, const std::string& text) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(offset));
  file << text;
}

TEST(EventJournalTest, ATornLastLineIsNotAnEntryAndIsNotGluedToTheNext) {
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  std::uint64_t used = 0;
  {
    auto journal = EventJournal::Open(path);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE(journal.value()->Append(OpenEvent(1)).ok());
    used = journal.value()->used_bytes();
  }
  WriteAt(path, used, "2 open 1002 dec_2 {\"decision");
  {
    auto reread = EventJournal::Open(path);
    ASSERT_TRUE(reread.ok());
    EXPECT_EQ(reread.value()->TakeFound().size(), 1u);
    EXPECT_EQ(reread.value()->used_bytes(), used);
    reread.value()->ContinueAfter(1);
    ASSERT_TRUE(reread.value()->Append(OpenEvent(3)).ok());
  }
  auto again = EventJournal::Open(path);
  ASSERT_TRUE(again.ok());
  std::vector<JournalEntry> found = again.value()->TakeFound();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].seq, 2);
  EXPECT_EQ(found[1].event.payload, OpenEvent(3).payload);
}

TEST(EventJournalTest, ALineIsWholeOnlyWithItsNewline) {
  // A copy cut short at any point before its '\n' is not an entry, whatever it holds.
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  std::uint64_t used = 0;
  {
    auto journal = EventJournal::Open(path);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE(journal.value()->Append(OpenEvent(1)).ok());
    used = journal.value()->used_bytes();
  }
  const std::string whole = "2 open 1002 dec_2 {}";
  for (std::size_t cut = 1; cut <= whole.size(); ++cut) {
    WriteAt(path, used, whole.substr(0, cut) + std::string(whole.size() - cut, '\0'));
    auto reread = EventJournal::Open(path);
    ASSERT_TRUE(reread.ok());
    EXPECT_EQ(reread.value()->TakeFound().size(), 1u) << cut;
  }
}

TEST(EventJournalTest, AJournalWrittenWithoutReservedSpaceIsReadAndContinued) {
  // The format before the journal was mapped: lines only, the file as long as they are.
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  std::ofstream(path, std::ios::binary)
      << "lanewise-audit-journal 1 j_earlier\n1 open 1001 dec_1 {\"n\":1}\n";
  {
    auto journal = EventJournal::Open(path);
    ASSERT_TRUE(journal.ok());
    EXPECT_EQ(journal.value()->id(), "j_earlier");
    EXPECT_EQ(journal.value()->TakeFound().size(), 1u);
    ASSERT_EQ(journal.value()->Append(OpenEvent(2)).value(), 2);
  }
  auto reread = EventJournal::Open(path);
  ASSERT_TRUE(reread.ok());
  std::vector<JournalEntry> found = reread.value()->TakeFound();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].event.payload, "{\"n\":1}");
  EXPECT_EQ(found[1].event.decision_id, "dec_2");
}

TEST(EventJournalTest, GrowsPastItsFirstReservationAndGivesTheSpaceBack) {
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  auto journal = EventJournal::Open(path);
  ASSERT_TRUE(journal.ok());
  EventJournal& j = *journal.value();
  EXPECT_EQ(j.reserved_bytes(), EventJournal::kInitialBytes);
  AuditEvent big = OpenEvent(0);
  big.payload = R"({"pad":")" + std::string(100000, 'x') + R"("})";
  std::int64_t last = 0;
  for (int i = 0; i < 25; ++i) last = j.Append(big).value();
  EXPECT_GT(j.reserved_bytes(), EventJournal::kInitialBytes);
  EXPECT_EQ(std::filesystem::file_size(path), j.reserved_bytes());
  {
    auto reread = EventJournal::Open(path);
    ASSERT_TRUE(reread.ok());
    std::vector<JournalEntry> found = reread.value()->TakeFound();
    ASSERT_EQ(found.size(), 25u);
    EXPECT_EQ(found[24].event.payload, big.payload);
  }
  ASSERT_TRUE(j.Stored(last).ok());
  EXPECT_EQ(j.reserved_bytes(), EventJournal::kInitialBytes);
  EXPECT_EQ(std::filesystem::file_size(path), EventJournal::kInitialBytes);
  auto empty = EventJournal::Open(path);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty.value()->TakeFound().empty());
  EXPECT_EQ(empty.value()->id(), j.id());
}

TEST(EventJournalTest, StoringEverythingEmptiesTheFileInPlace) {
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  auto journal = EventJournal::Open(path);
  ASSERT_TRUE(journal.ok());
  EventJournal& j = *journal.value();
  const std::uint64_t header = j.used_bytes();
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(j.Append(OpenEvent(i)).ok());
  ASSERT_TRUE(j.Stored(3).ok());
  EXPECT_EQ(j.used_bytes(), header);
  ASSERT_TRUE(j.Append(OpenEvent(4)).ok());  // written where the first entry was
  auto reread = EventJournal::Open(path);
  ASSERT_TRUE(reread.ok());
  std::vector<JournalEntry> found = reread.value()->TakeFound();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].seq, 4);
}

TEST(EventJournalTest, StartingOverRewritesAMissingHeader) {
  // A file whose header line was lost (only entries): once they are stored, the file is
  // a header and the next entries, with the journal's id.
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  std::ofstream(path, std::ios::binary) << "1 open 1001 dec_1 {}\n";
  auto journal = EventJournal::Open(path);
  ASSERT_TRUE(journal.ok());
  EventJournal& j = *journal.value();
  ASSERT_EQ(j.TakeFound().size(), 1u);
  ASSERT_EQ(j.Append(OpenEvent(2)).value(), 2);
  ASSERT_TRUE(j.Stored(2).ok());
  ASSERT_EQ(j.Append(OpenEvent(3)).value(), 3);
  auto reread = EventJournal::Open(path);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread.value()->id(), j.id());
  std::vector<JournalEntry> found = reread.value()->TakeFound();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].seq, 3);
}

TEST(EventJournalTest, AnEventThatIsNotOneLineIsRefused) {
  testing::TempDb dir;
  auto journal = EventJournal::Open(dir.path() + ".pending");
  ASSERT_TRUE(journal.ok());
  AuditEvent event = OpenEvent(1);
  event.payload = "{\"a\":1}\n{\"b\":2}";
  EXPECT_FALSE(journal.value()->Append(event).ok());
  event.payload = std::string("{\"a\":1}\0", 8);
  EXPECT_FALSE(journal.value()->Append(event).ok());
  event = OpenEvent(1);
  event.decision_id = "dec\n1";
  EXPECT_FALSE(journal.value()->Append(event).ok());
  EXPECT_TRUE(journal.value()->Append(OpenEvent(1)).ok());
}

TEST(EventJournalTest, NoSpaceForTheJournalIsAnErrorNotACrash) {
  // The file may not grow past 1.5 MB (as on a full disk): appending past the first
  // reservation fails with an error; the process is not killed by a SIGBUS.
  testing::TempDb dir;
  const std::string path = dir.path() + ".pending";
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{3u << 19, 3u << 19};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(2);
    auto journal = EventJournal::Open(path);
    if (!journal.ok()) _exit(3);
    AuditEvent big = OpenEvent(1);
    big.payload = R"({"pad":")" + std::string(100000, 'x') + R"("})";
    for (int i = 0; i < 30; ++i) {
      if (!journal.value()->Append(big).ok()) _exit(i >= 10 ? 0 : 4);
    }
    _exit(5);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace lanewise::audit
