#include "audit/queued_writer.h"

#include <algorithm>
#include <vector>

#include "audit/payload_buffers.h"

namespace lanewise::audit {
namespace {

constexpr std::size_t kRecoveryBatch = 1000;
constexpr int kRetriesWhenStopping = 3;

// Appends the journal's entries the store does not have yet; how many.
core::Result<std::int64_t> Recover(Store& store, EventJournal& journal, const std::string& key) {
  auto applied_text = store.ReadMeta(key);
  if (!applied_text.ok()) return applied_text.status();
  const std::int64_t applied = applied_text->empty() ? 0 : std::stoll(applied_text.value());
  std::vector<JournalEntry> found = journal.TakeFound();
  std::int64_t recovered = 0;
  std::int64_t last = applied;
  std::vector<const AuditEvent*> batch;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i].seq > applied) {
      batch.push_back(&found[i].event);
      last = std::max(last, found[i].seq);
    }
    if (!batch.empty() && (batch.size() == kRecoveryBatch || i + 1 == found.size())) {
      if (auto s = store.Append(batch, {key, last}); !s.ok()) return s;
      recovered += static_cast<std::int64_t>(batch.size());
      batch.clear();
    }
  }
  journal.ContinueAfter(last);
  if (auto s = journal.Stored(last); !s.ok()) return s;
  return recovered;
}

}  // namespace

core::Result<std::shared_ptr<QueuedWriter>> QueuedWriter::Start(std::unique_ptr<Store> store,
                                                                WriterOptions options) {
  if (options.journal_path.empty()) {
    return std::make_shared<QueuedWriter>(std::move(store), std::move(options));
  }
  auto journal = EventJournal::Open(options.journal_path);
  if (!journal.ok()) return journal.status();
  const std::string key = "journal:" + journal.value()->id();
  auto recovered = Recover(*store, *journal.value(), key);
  if (!recovered.ok()) return recovered.status();
  return std::shared_ptr<QueuedWriter>(new QueuedWriter(
      std::move(store), std::move(options), std::move(journal.value()), recovered.value()));
}

QueuedWriter::QueuedWriter(std::unique_ptr<Store> store, WriterOptions options)
    : QueuedWriter(std::move(store), std::move(options), nullptr, 0) {}

QueuedWriter::QueuedWriter(std::unique_ptr<Store> store, WriterOptions options,
                           std::unique_ptr<EventJournal> journal, std::int64_t recovered)
    : store_(std::move(store)),
      options_(std::move(options)),
      journal_(std::move(journal)),
      journal_key_(journal_ ? "journal:" + journal_->id() : std::string()),
      recovered_(recovered),
      thread_([this] { Run(); }) {}

QueuedWriter::~QueuedWriter() {
  Stop();
}

core::Status QueuedWriter::Submit(AuditEvent event, OnDurable on_durable) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      ++counters_.dropped;
      return core::Unavailable("the audit writer has stopped", "audit_stopped");
    }
    if (queue_.size() >= options_.queue_capacity) {
      ++counters_.dropped;
      return core::Unavailable("the audit queue is full", "audit_queue_full");
    }
    std::int64_t journal_seq = 0;
    // Only open events are journaled: a close lost to kill -9 leaves the record
    // incomplete, which is what it is; SIGTERM writes every close (Stop drains the queue).
    if (journal_ && event.kind == EventKind::kOpen) {
      auto written = journal_->Append(event);
      if (!written.ok()) {
        ++counters_.dropped;
        return written.status();
      }
      journal_seq = written.value();
    }
    RefillPayloadBuffers(spare_);
    if (on_durable) urgent_ = true;
    wake = queue_.empty() || urgent_;
    queue_.push_back({std::move(event), std::move(on_durable), journal_seq});
    wake = wake || queue_.size() == options_.max_batch;
  }
  if (wake) wake_.notify_one();
  return core::Status::Ok();
}

std::size_t QueuedWriter::QueueDepth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

SinkCounters QueuedWriter::Counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void QueuedWriter::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void QueuedWriter::Run() {
  auto next_prune = std::chrono::steady_clock::now();
  MaybePrune(next_prune);
  std::deque<Pending> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      // Idle: sleep until the first event (or the next prune). Then let the batch gather.
      wake_.wait_for(lock, options_.prune_every, [this] { return stopping_ || !queue_.empty(); });
      wake_.wait_for(lock, options_.flush_interval, [this] {
        return stopping_ || urgent_ || queue_.size() >= options_.max_batch;
      });
      if (queue_.empty() && stopping_) return;
      urgent_ = false;
      // The whole queue at once when it fits: the submitters wait on this lock.
      if (queue_.size() <= options_.max_batch) {
        batch.swap(queue_);
      } else {
        while (batch.size() < options_.max_batch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
    }
    if (!batch.empty()) WriteBatch(batch);
    MaybePrune(next_prune);
  }
}

void QueuedWriter::WriteBatch(std::deque<Pending>& batch) {
  // A decision whose open and close events are both in the batch is stored as one row
  // (a kRecord event, at the open event's place): under load most are, so the store
  // writes and hashes about one row per decision instead of two. The open event was
  // journaled, so a crash before this commit still leaves its record incomplete.
  open_index_.clear();
  events_.clear();
  std::int64_t journal_seq = 0;
  for (Pending& p : batch) {
    journal_seq = std::max(journal_seq, p.journal_seq);
    if (p.event.kind == EventKind::kOpen) {
      open_index_.emplace(p.event.decision_id, &p.event);
    } else if (p.event.kind == EventKind::kClose) {
      if (auto it = open_index_.find(p.event.decision_id); it != open_index_.end()) {
        MergeDecisionRecord(*it->second, p.event);
        open_index_.erase(it);
        continue;
      }
    }
    events_.push_back(&p.event);
  }
  const std::vector<const AuditEvent*>& events = events_;
  // (A batch of close events only moves no mark.)
  const JournalMark mark{journal_seq > 0 ? journal_key_ : std::string(), journal_seq};
  core::Status status = store_->Append(events, mark);
  // A store that fails (a restarting PostgreSQL, a SQLite file another process holds
  // locked) is retried with backoff: the batch is kept, the queue fills up meanwhile.
  // When stopping, a few tries only; what is left stays in the journal for the next start.
  auto backoff = std::chrono::milliseconds(50);
  for (int retries_left = kRetriesWhenStopping; !status.ok();) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ && retries_left-- <= 0) break;
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    status = store_->Append(events, mark);
  }
  // The payloads' strings go back to the request threads (at most two batches' worth).
  recycled_.clear();
  for (Pending& p : batch) {
    if (IsRecyclable(p.event.payload)) {
      p.event.payload.clear();
      recycled_.push_back(std::move(p.event.payload));
    }
  }
  {
    std::lock_guard lock(mutex_);
    for (std::string& buffer : recycled_) {
      if (spare_.size() >= 2 * options_.max_batch) break;
      spare_.push_back(std::move(buffer));
    }
    if (status.ok()) {
      counters_.written += batch.size();
      if (journal_ && journal_seq > 0) (void)journal_->Stored(journal_seq);
    } else {
      counters_.write_failures += batch.size();
    }
  }
  for (Pending& p : batch) {
    if (p.on_durable) p.on_durable(status);
  }
  batch.clear();
}

void QueuedWriter::MaybePrune(std::chrono::steady_clock::time_point& next_prune) {
  if (options_.retention.count() <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_prune) return;
  next_prune = now + options_.prune_every;
  const auto cutoff = std::chrono::system_clock::now() - options_.retention;
  (void)store_->PruneBefore(
      std::chrono::duration_cast<std::chrono::milliseconds>(cutoff.time_since_epoch()).count());
}

}  // namespace lanewise::audit
