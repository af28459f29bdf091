// SessionStore: what the gateway remembers about a conversation (x-lanewise-session)
// between its turns: the most sensitive class it has reached (session taint: a session's
// class only rises) and the lane that served its last turn (affinity). An interface, so
// that a shared store (Redis) can hold it for several replicas later; MemorySessionStore
// holds it in this process, bounded and with expiry.
//
// Implementations are thread-safe. Keys are the client's session ids as sent; values hold
// names only, never request content.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lanewise::state {

struct SessionState {
  std::string data_class;  // the most sensitive class any turn had
  std::string lane;        // the lane that served the last turn
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // The session's state; nullopt when unknown or expired.
  virtual std::optional<SessionState> Get(std::string_view session_id) = 0;
  // Replaces the session's state (the caller has already merged the class) and renews its
  // expiry.
  virtual void Put(std::string_view session_id, const SessionState& state) = 0;
};

}  // namespace lanewise::state
