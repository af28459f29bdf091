// The gateway's audit hooks: the open record is committed before the first attempt may
// go out, and a record that cannot be stored refuses an evidence class (fail closed) but
// only counts the drop for any other class.
#include "api/decision_evidence.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "audit/audit_query.h"
#include "audit/queued_writer.h"
#include "audit/sqlite_store.h"
#include "temp_db.h"

namespace lanewise::api {
namespace {

namespace asio = boost::asio;

// A sink whose queue is always full: the fault the fail-closed path is for.
class FullSink final : public audit::Sink {
 public:
  core::Status Submit(audit::AuditEvent, audit::OnDurable) override {
    ++refused;
    return core::Unavailable("the audit queue is full", "audit_queue_full");
  }
  std::size_t QueueDepth() const override { return 0; }
  audit::SinkCounters Counters() const override { return {}; }
  int refused = 0;
};

core::RouteDecision Decision(bool evidence_required) {
  core::RouteDecision d;
  d.decision_id = "dec_test";
  d.data_class = evidence_required ? "phi" : "public";
  d.detected_data_class = d.data_class;
  d.evidence_required = evidence_required;
  d.policy_version = "v1";
  d.route_source = "alias";
  d.plan.push_back({"local", "m", "primary", false, 0.0});
  d.created_at = std::chrono::system_clock::now();
  return d;
}

// `io` must outlive the sink's writer: a late commit still posts to it.
core::Status RunOpen(asio::io_context& io, const Evidence& evidence,
                     const core::RouteDecision& decision) {
  core::Status result = core::Internal("did not run");
  core::Facts facts;
  facts.tenant = "acme";
  facts.entity_counts["PERSON"] = 2;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        result = co_await OpenDecisionRecord(evidence, decision, facts, "req_1", "openai", false);
      },
      asio::detached);
  io.run();
  io.restart();
  return result;
}

std::shared_ptr<telemetry::Metrics> NewMetrics() {
  auto m = std::make_shared<telemetry::Metrics>();
  telemetry::DeclareGatewayMetrics(*m);
  return m;
}

TEST(DecisionEvidenceTest, TheOpenRecordIsCommittedBeforeTheHookReturns) {
  asio::io_context io;
  audit::testing::TempDb db;
  auto store = audit::SqliteStore::Open({.sqlite_path = db.path(), .create = true});
  ASSERT_TRUE(store.ok());
  auto writer =
      std::make_shared<audit::QueuedWriter>(std::move(store.value()), audit::WriterOptions{});
  Evidence evidence{writer, NewMetrics(), std::chrono::milliseconds(2000),
                    config::AuditConfig::CommitWait::kAll};
  ASSERT_TRUE(RunOpen(io, evidence, Decision(true)).ok());

  // Read through a second connection while the writer is still running.
  auto reader = audit::SqliteStore::Open({.sqlite_path = db.path(), .create = false});
  ASSERT_TRUE(reader.ok());
  auto records = audit::QueryRecords(*reader.value(), {});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  const auto& r = records->at(0).as_object();
  EXPECT_EQ(r.at("decision_id"), "dec_test");
  EXPECT_EQ(r.at("outcome"), "incomplete");
  EXPECT_EQ(r.at("tenant"), "acme");
  EXPECT_EQ(r.at("entities").at("PERSON"), 2);
  EXPECT_EQ(r.at("class").at("effective"), "phi");
}

TEST(DecisionEvidenceTest, AnEvidenceClassIsRefusedWhenItsRecordCannotBeQueued) {
  asio::io_context io;
  auto sink = std::make_shared<FullSink>();
  auto metrics = NewMetrics();
  Evidence evidence{sink, metrics};
  core::Status status = RunOpen(io, evidence, Decision(true));
  EXPECT_EQ(status.reason(), "audit_unavailable");
  EXPECT_EQ(status.code(), core::StatusCode::kUnavailable);
  EXPECT_NE(metrics->Render().find(
                "lanewise_audit_events_dropped_total{kind=\"open\",refused=\"true\"} 1\n"),
            std::string::npos);
}

TEST(DecisionEvidenceTest, OtherClassesGoOnAndTheDropIsCounted) {
  asio::io_context io;
  auto sink = std::make_shared<FullSink>();
  auto metrics = NewMetrics();
  Evidence evidence{sink, metrics};
  EXPECT_TRUE(RunOpen(io, evidence, Decision(false)).ok());
  EXPECT_EQ(sink->refused, 1);
  EXPECT_NE(metrics->Render().find(
                "lanewise_audit_events_dropped_total{kind=\"open\",refused=\"false\"} 1\n"),
            std::string::npos);
}

TEST(DecisionEvidenceTest, AStoreThatCannotCommitInTimeRefusesAnEvidenceClass) {
  asio::io_context io;
  audit::testing::TempDb db;
  auto store = audit::SqliteStore::Open({.sqlite_path = db.path(), .create = true});
  ASSERT_TRUE(store.ok());
  auto blocker = audit::SqliteDb::Open(db.path(), false);
  ASSERT_TRUE(blocker.ok());
  ASSERT_TRUE(blocker.value()->Exec("BEGIN EXCLUSIVE").ok());
  auto writer =
      std::make_shared<audit::QueuedWriter>(std::move(store.value()), audit::WriterOptions{});
  Evidence evidence{writer, NewMetrics(), std::chrono::milliseconds(100),
                    config::AuditConfig::CommitWait::kAll};
  EXPECT_EQ(RunOpen(io, evidence, Decision(true)).reason(), "audit_unavailable");
  ASSERT_TRUE(blocker.value()->Exec("COMMIT").ok());
  writer->Stop();
}

TEST(DecisionEvidenceTest, WaitingOnlyForEvidenceClassesLetsOtherClassesGoOnAtOnce) {
  asio::io_context io;
  audit::testing::TempDb db;
  auto store = audit::SqliteStore::Open({.sqlite_path = db.path(), .create = true});
  ASSERT_TRUE(store.ok());
  auto blocker = audit::SqliteDb::Open(db.path(), false);
  ASSERT_TRUE(blocker.ok());
  ASSERT_TRUE(blocker.value()->Exec("BEGIN EXCLUSIVE").ok());  // nothing can commit
  auto writer =
      std::make_shared<audit::QueuedWriter>(std::move(store.value()), audit::WriterOptions{});
  Evidence evidence{writer, NewMetrics(), std::chrono::milliseconds(100),
                    config::AuditConfig::CommitWait::kEvidence};
  EXPECT_TRUE(RunOpen(io, evidence, Decision(false)).ok());
  EXPECT_EQ(RunOpen(io, evidence, Decision(true)).reason(), "audit_unavailable");
  ASSERT_TRUE(blocker.value()->Exec("COMMIT").ok());
  writer->Stop();
}

TEST(DecisionEvidenceTest, ByDefaultNoClassWaitsForTheCommit) {
  // The journal keeps an accepted event through kill -9, so even an evidence class goes on
  // as soon as its record is accepted, while nothing can commit.
  asio::io_context io;
  audit::testing::TempDb db;
  auto store = audit::SqliteStore::Open({.sqlite_path = db.path(), .create = true});
  ASSERT_TRUE(store.ok());
  auto blocker = audit::SqliteDb::Open(db.path(), false);
  ASSERT_TRUE(blocker.ok());
  ASSERT_TRUE(blocker.value()->Exec("BEGIN EXCLUSIVE").ok());
  audit::WriterOptions options;
  options.journal_path = db.path() + ".pending";
  auto writer = audit::QueuedWriter::Start(std::move(store.value()), options);
  ASSERT_TRUE(writer.ok());
  Evidence evidence{writer.value(), NewMetrics(), std::chrono::milliseconds(100)};
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(RunOpen(io, evidence, Decision(true)).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
  ASSERT_TRUE(blocker.value()->Exec("COMMIT").ok());
  writer.value()->Stop();
  auto reader = audit::SqliteStore::Open({.sqlite_path = db.path(), .create = false});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(audit::QueryRecords(*reader.value(), {})->size(), 1u);
}

}  // namespace
}  // namespace lanewise::api
