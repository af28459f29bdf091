#include "http/deadline_watch.h"

#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>

namespace lanewise::http {

struct DeadlineWatch::State {
  State(boost::asio::any_io_executor executor, std::function<void()> callback)
      : timer(std::move(executor)), on_expiry(std::move(callback)) {}

  boost::asio::steady_timer timer;
  std::function<void()> on_expiry;
  Clock::time_point deadline{};
  bool owner_alive = true;
  bool armed = false;
  bool expired = false;
  int waits = 0;  // timer waits outstanding (cancelled ones included until they run)
};

DeadlineWatch::DeadlineWatch(boost::asio::any_io_executor executor, std::function<void()> on_expiry)
    : state_(std::make_shared<State>(std::move(executor), std::move(on_expiry))) {}

DeadlineWatch::~DeadlineWatch() {
  state_->owner_alive = false;
  state_->armed = false;
  state_->on_expiry = nullptr;
  state_->timer.cancel();
}

void DeadlineWatch::Arm(Clock::duration timeout) {
  State& s = *state_;
  s.deadline = Clock::now() + timeout;
  s.armed = true;
  // A wait that ends at or before the new deadline re-checks when it fires; only a
  // deadline earlier than the pending wait needs the timer moved.
  if (s.waits == 0 || s.deadline < s.timer.expiry()) Wait(state_, s.deadline);
}

void DeadlineWatch::Disarm() {
  state_->armed = false;
}

bool DeadlineWatch::expired() const {
  return state_->expired;
}

void DeadlineWatch::Wait(const std::shared_ptr<State>& state, Clock::time_point at) {
  state->timer.expires_at(at);  // cancels a wait already pending; its handler sees aborted
  ++state->waits;
  auto on_timer = [state](const boost::system::error_code& ec) {
    State& s = *state;
    --s.waits;
    if (ec == boost::asio::error::operation_aborted || !s.owner_alive || !s.armed) return;
    if (s.waits > 0) return;  // a newer wait covers the current deadline
    if (Clock::now() < s.deadline) {
      Wait(state, s.deadline);
      return;
    }
    s.armed = false;
    s.expired = true;
    if (s.on_expiry) s.on_expiry();
  };
  state->timer.async_wait(on_timer);
}

}  // namespace lanewise::http
