// QueuedWriter: the audit Sink of `lanewise serve`. Submit puts the event on a bounded
// queue and returns; one writer thread takes what has accumulated (up to a batch) and
// appends it to the store in one transaction, then tells each event's OnDurable. Under
// load, many requests share one commit.
//
// When the queue is full, Submit refuses at once (the caller decides: fail closed for an
// evidence class, count and go on otherwise). Retention runs on the writer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "audit/sink.h"
#include "audit/sqlite_store.h"

namespace lanewise::audit {

struct WriterOptions {
  std::size_t queue_capacity = 10000;  // events waiting for the writer
  std::size_t max_batch = 512;         // events per transaction
  std::chrono::hours retention{0};     // 0: keep forever
  std::chrono::minutes prune_every{10};
};

class QueuedWriter final : public Sink {
 public:
  QueuedWriter(std::unique_ptr<SqliteStore> store, WriterOptions options);
  ~QueuedWriter() override;  // Stop()s

  core::Status Submit(AuditEvent event, OnDurable on_durable = nullptr) override;
  std::size_t QueueDepth() const override;
  SinkCounters Counters() const override;

  // Refuses new events, writes every queued one, joins the writer thread. Idempotent.
  void Stop();

 private:
  struct Pending {
    AuditEvent event;
    OnDurable on_durable;
  };
  void Run();
  void WriteBatch(std::deque<Pending>& batch);
  void MaybePrune(std::chrono::steady_clock::time_point& next_prune);

  std::unique_ptr<SqliteStore> store_;  // writer thread only
  const WriterOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  SinkCounters counters_;
  std::thread thread_;
};

}  // namespace lanewise::audit
