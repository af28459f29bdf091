// MemorySessionStore: SessionStore in this process. At most `max_sessions` sessions (the
// least recently used one goes first), each forgotten `ttl` after its last turn.
// Thread-safe (one mutex; every operation is O(log n)).
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <string>

#include "state/session_store.h"

namespace lanewise::state {

class MemorySessionStore final : public SessionStore {
 public:
  using Clock = std::chrono::steady_clock;

  MemorySessionStore(
      std::size_t max_sessions, std::chrono::seconds ttl,
      std::function<Clock::time_point()> now = [] { return Clock::now(); });

  std::optional<SessionState> Get(std::string_view session_id) override;
  void Put(std::string_view session_id, const SessionState& state) override;
  std::size_t size() const;

 private:
  struct Entry {
    SessionState state;
    Clock::time_point expires;
    std::list<std::string>::iterator lru;  // position in lru_ (front: most recent)
  };
  void Erase(std::map<std::string, Entry, std::less<>>::iterator it);  // mutex_ held

  const std::size_t max_sessions_;
  const std::chrono::seconds ttl_;
  std::function<Clock::time_point()> now_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> sessions_;
  std::list<std::string> lru_;
};

}  // namespace lanewise::state
