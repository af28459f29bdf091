#include "lanes/lane_gate.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lanewise::lanes {

namespace asio = boost::asio;

LaneGate::Lane& LaneGate::At(std::string_view lane) {
  auto it = lanes_.find(lane);
  if (it == lanes_.end()) it = lanes_.emplace(std::string(lane), Lane{}).first;
  return it->second;
}

asio::awaitable<Admission> LaneGate::Acquire(std::string lane, GateLimits limits,
                                             std::chrono::milliseconds* waited) {
  if (waited != nullptr) *waited = std::chrono::milliseconds(0);
  // Read before taking the lock: no lock is held across a co_await.
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  std::shared_ptr<Waiter> waiter;
  {
    std::lock_guard lock(mutex_);
    Lane& l = At(lane);
    if (limits.max_concurrency <= 0 || l.running < limits.max_concurrency) {
      ++l.running;
      co_return Admission::kAdmitted;
    }
    if (static_cast<int>(l.waiting.size()) >= limits.queue_max ||
        limits.queue_timeout.count() <= 0) {
      co_return Admission::kQueueFull;
    }
    waiter = std::make_shared<Waiter>();
    waiter->executor = executor;
    waiter->timer = std::make_shared<asio::steady_timer>(waiter->executor);
    waiter->timer->expires_after(limits.queue_timeout);
    l.waiting.push_back(waiter);
  }
  const auto start = std::chrono::steady_clock::now();
  co_await waiter->timer->async_wait(asio::as_tuple(asio::use_awaitable));
  if (waited != nullptr) {
    *waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
  }
  std::lock_guard lock(mutex_);
  if (waiter->granted) co_return Admission::kAdmitted;  // Release handed us its slot
  Lane& l = At(lane);
  l.waiting.erase(std::remove(l.waiting.begin(), l.waiting.end(), waiter), l.waiting.end());
  co_return Admission::kTimedOut;
}

void LaneGate::Release(std::string_view lane) {
  std::lock_guard lock(mutex_);
  Lane& l = At(lane);
  if (l.waiting.empty()) {
    l.running = std::max(0, l.running - 1);
    return;
  }
  // The slot passes to the oldest waiter: `running` stays as it is.
  std::shared_ptr<Waiter> next = std::move(l.waiting.front());
  l.waiting.pop_front();
  next->granted = true;
  std::shared_ptr<asio::steady_timer> timer = next->timer;
  asio::post(next->executor, [timer] { timer->cancel(); });
}

int LaneGate::Running(std::string_view lane) const {
  std::lock_guard lock(mutex_);
  auto it = lanes_.find(lane);
  return it == lanes_.end() ? 0 : it->second.running;
}

int LaneGate::Waiting(std::string_view lane) const {
  std::lock_guard lock(mutex_);
  auto it = lanes_.find(lane);
  return it == lanes_.end() ? 0 : static_cast<int>(it->second.waiting.size());
}

}  // namespace lanewise::lanes
