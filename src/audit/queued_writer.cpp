#include "audit/queued_writer.h"

#include <vector>

namespace lanewise::audit {

QueuedWriter::QueuedWriter(std::unique_ptr<SqliteStore> store, WriterOptions options)
    : store_(std::move(store)), options_(options), thread_([this] { Run(); }) {}

QueuedWriter::~QueuedWriter() {
  Stop();
}

core::Status QueuedWriter::Submit(AuditEvent event, OnDurable on_durable) {
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
    queue_.push_back({std::move(event), std::move(on_durable)});
  }
  wake_.notify_one();
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
      wake_.wait_for(lock, options_.prune_every, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!batch.empty()) WriteBatch(batch);
    MaybePrune(next_prune);
  }
}

void QueuedWriter::WriteBatch(std::deque<Pending>& batch) {
  std::vector<const AuditEvent*> events;
  events.reserve(batch.size());
  for (const Pending& p : batch) events.push_back(&p.event);
  core::Status status = store_->Append(events);
  if (!status.ok()) {
    // One retry: a transient busy database should not lose evidence.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = store_->Append(events);
  }
  {
    std::lock_guard lock(mutex_);
    if (status.ok()) {
      counters_.written += batch.size();
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
