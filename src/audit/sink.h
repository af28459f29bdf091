// Sink: where the gateway hands its audit events. Implementations queue and return at
// once; the data path never waits on disk inside Submit. Thread-safe: any I/O thread may
// call Submit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "audit/audit_event.h"
#include "core/status.h"

namespace lanewise::audit {

// Runs on the sink's writer thread once the event is committed (ok) or could not be
// (error). Must be quick and must not call back into the sink.
using OnDurable = std::function<void(const core::Status&)>;

struct SinkCounters {
  std::uint64_t written = 0;         // events committed
  std::uint64_t dropped = 0;         // events refused because the queue was full or stopped
  std::uint64_t write_failures = 0;  // events lost to a store error
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Queues `event`. An error (queue full: "audit_queue_full"; stopped: "audit_stopped")
  // means the event will never be written and `on_durable` is never called.
  virtual core::Status Submit(AuditEvent event, OnDurable on_durable = nullptr) = 0;
  virtual std::size_t QueueDepth() const = 0;
  virtual SinkCounters Counters() const = 0;
};

}  // namespace lanewise::audit
