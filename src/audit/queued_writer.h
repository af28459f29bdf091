// QueuedWriter: the audit Sink of `lanewise serve`. Submit writes an open event to the
// journal (event_journal.h: a copy into a mapped file, in the page cache at once, so
// kill -9 loses no record; a close event is not journaled: lost, it leaves its record
// incomplete), puts it on a bounded queue and returns; it wakes the writer thread only when the
// queue was empty (the writer then lets a batch gather for up to `flush_interval`), when a batch is
// full, or when the caller waits for the commit. The writer appends each batch in one transaction
// (a decision whose open and close events are both in the batch as one `record` row) and then
// tells each event's OnDurable. So the data path never waits on the disk, and under load
// many requests share one commit and one wake-up.
//
// When the queue is full, Submit refuses at once (the caller decides: fail closed for an
// evidence class, count and go on otherwise). When the store fails (PostgreSQL down, a
// locked SQLite file), the writer keeps the batch and retries with backoff; the queue
// fills meanwhile. Retention runs on the writer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "audit/event_journal.h"
#include "audit/sink.h"
#include "audit/store.h"

namespace lanewise::audit {

struct WriterOptions {
  std::size_t queue_capacity = 10000;             // events waiting for the writer
  std::size_t max_batch = 1024;                   // events per transaction
  std::chrono::milliseconds flush_interval{100};  // longest a batch gathers
  std::chrono::hours retention{0};                // 0: keep forever
  std::chrono::minutes prune_every{10};
  std::string journal_path;  // empty: no journal (an event is safe once committed)
};

class QueuedWriter final : public Sink {
 public:
  // Opens the journal (when configured), appends what it holds that `store` does not
  // have (the events of a process that was killed), then starts the writer thread.
  static core::Result<std::shared_ptr<QueuedWriter>> Start(std::unique_ptr<Store> store,
                                                           WriterOptions options);
  // Without a journal; starts the writer thread.
  QueuedWriter(std::unique_ptr<Store> store, WriterOptions options);
  ~QueuedWriter() override;  // Stop()s

  core::Status Submit(AuditEvent event, OnDurable on_durable = nullptr) override;
  std::size_t QueueDepth() const override;
  SinkCounters Counters() const override;
  // Events taken from the journal at Start.
  std::int64_t recovered() const { return recovered_; }

  // Refuses new events, writes every queued one, joins the writer thread. Idempotent.
  void Stop();

 private:
  struct Pending {
    AuditEvent event;
    OnDurable on_durable;
    std::int64_t journal_seq = 0;
  };
  QueuedWriter(std::unique_ptr<Store> store, WriterOptions options,
               std::unique_ptr<EventJournal> journal, std::int64_t recovered);
  void Run();
  void WriteBatch(std::deque<Pending>& batch);
  void MaybePrune(std::chrono::steady_clock::time_point& next_prune);

  std::unique_ptr<Store> store_;  // writer thread only
  // WriteBatch's, kept for their capacity (writer thread only): the batch's open events
  // not yet merged with their close, by decision id, and the events to append.
  std::unordered_map<std::string_view, AuditEvent*> open_index_;
  std::vector<const AuditEvent*> events_;
  const WriterOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  // Emptied payload strings for the request threads (payload_buffers.h), under mutex_.
  std::vector<std::string> spare_;
  std::vector<std::string> recycled_;      // WriteBatch's, before it takes the lock
  std::unique_ptr<EventJournal> journal_;  // under mutex_
  std::string journal_key_;
  std::int64_t recovered_ = 0;
  bool urgent_ = false;  // an event's submitter waits for its commit
  bool stopping_ = false;
  SinkCounters counters_;
  std::thread thread_;
};

}  // namespace lanewise::audit
