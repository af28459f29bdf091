// Payload buffers recycled between the request threads and the audit writer. A payload is
// built on a request thread and freed on the writer thread, two ~1 KB strings per request:
// the writer's frees then take the allocator's slow, locked path (another thread's
// memory), and under load that cost as much as an index entry per event. Instead the
// writer hands the emptied strings back (QueuedWriter keeps a bounded list), each request
// thread takes a few into a cache of its own when it submits an event, and builds its
// next payloads in them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace lanewise::audit {

// An empty string, with the capacity of a recycled payload when this thread's cache has
// one.
std::string TakePayloadBuffer();

// Moves buffers from `spare` into this thread's cache while it holds fewer than a few.
// The caller serializes access to `spare` (QueuedWriter: under its lock).
void RefillPayloadBuffers(std::vector<std::string>& spare);

// Whether a payload's string is worth recycling (not a small one).
inline bool IsRecyclable(const std::string& payload) {
  return payload.capacity() >= 256;
}

}  // namespace lanewise::audit
