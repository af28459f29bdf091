// LaneGate: per-lane admission (docs/policy.md, "Capacity"). At most `max_concurrency`
// calls run at a lane at once; up to `queue_max` more wait, first come first served, for
// at most `queue_timeout`; any more are turned away at once.
//
// Thread-safe: callers on any I/O thread. A waiter sleeps on a timer of its own executor;
// Release hands the freed slot to the oldest waiter and wakes it on that executor. Lives
// as long as the server (outlasts reloads; lanes by name). Unknown lanes start empty.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace lanewise::lanes {

struct GateLimits {
  int max_concurrency = 0;  // 0: no limit (Acquire admits at once)
  int queue_max = 0;        // waiters beyond the running calls
  std::chrono::milliseconds queue_timeout{0};
};

enum class Admission { kAdmitted, kQueueFull, kTimedOut };

class LaneGate {
 public:
  // kAdmitted: the caller holds a slot and must Release(lane) exactly once. `waited`
  // (may be null) receives how long the call queued.
  boost::asio::awaitable<Admission> Acquire(std::string lane, GateLimits limits,
                                            std::chrono::milliseconds* waited);
  void Release(std::string_view lane);

  // Calls running at the lane (admitted, not released) and waiting.
  int Running(std::string_view lane) const;
  int Waiting(std::string_view lane) const;

 private:
  struct Waiter {
    boost::asio::any_io_executor executor;
    std::shared_ptr<boost::asio::steady_timer> timer;
    bool granted = false;  // under mutex_
  };
  struct Lane {
    int running = 0;
    std::deque<std::shared_ptr<Waiter>> waiting;
  };
  Lane& At(std::string_view lane);  // mutex_ held

  mutable std::mutex mutex_;
  std::map<std::string, Lane, std::less<>> lanes_;
};

}  // namespace lanewise::lanes
