#include "state/memory_session_store.h"

namespace lanewise::state {

MemorySessionStore::MemorySessionStore(std::size_t max_sessions, std::chrono::seconds ttl,
                                       std::function<Clock::time_point()> now)
    : max_sessions_(max_sessions == 0 ? 1 : max_sessions), ttl_(ttl), now_(std::move(now)) {}

void MemorySessionStore::Erase(std::map<std::string, Entry, std::less<>>::iterator it) {
  lru_.erase(it->second.lru);
  sessions_.erase(it);
}

std::optional<SessionState> MemorySessionStore::Get(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return std::nullopt;
  if (now_() >= it->second.expires) {
    Erase(it);
    return std::nullopt;
  }
  return it->second.state;
}

void MemorySessionStore::Put(std::string_view session_id, const SessionState& state) {
  std::lock_guard lock(mutex_);
  const Clock::time_point expires = now_() + ttl_;
  auto it = sessions_.find(session_id);
  if (it != sessions_.end()) {
    it->second.state = state;
    it->second.expires = expires;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  while (sessions_.size() >= max_sessions_) {
    Erase(sessions_.find(lru_.back()));  // the least recently used
  }
  lru_.emplace_front(session_id);
  sessions_.emplace(std::string(session_id), Entry{state, expires, lru_.begin()});
}

std::size_t MemorySessionStore::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace lanewise::state
