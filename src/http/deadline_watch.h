// DeadlineWatch: the deadline of whichever I/O operation a connection has in progress,
// without a timer armed and cancelled around every read and write.
//
// Arm(timeout) before an operation only records when it must be done (a clock read);
// Disarm() after it. One timer wait is outstanding while operations run; when it fires
// before the recorded deadline (later operations pushed it back) it waits again, so a busy
// connection costs a timer wake-up per timeout period, not a timer per operation. When the
// deadline passes with an operation still armed, `on_expiry` runs (it closes the socket,
// which completes the operation with an error) and expired() turns true.
//
// Not thread-safe: lives on the I/O thread of the socket it watches.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace lanewise::http {

class DeadlineWatch {
 public:
  using Clock = std::chrono::steady_clock;

  DeadlineWatch(boost::asio::any_io_executor executor, std::function<void()> on_expiry);
  ~DeadlineWatch();
  DeadlineWatch(const DeadlineWatch&) = delete;
  DeadlineWatch& operator=(const DeadlineWatch&) = delete;

  // An operation starts that must finish within `timeout`.
  void Arm(Clock::duration timeout);
  // The operation finished (whatever its outcome).
  void Disarm();
  // The deadline passed with an operation armed (sticky).
  bool expired() const;

 private:
  struct State;
  static void Wait(const std::shared_ptr<State>& state, Clock::time_point at);
  std::shared_ptr<State> state_;  // shared with the outstanding timer wait
};

}  // namespace lanewise::http
