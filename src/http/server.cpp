#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "http/server_connection.h"

namespace lanewise::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

thread_local asio::io_context* t_current_context = nullptr;

}  // namespace

struct Server::Impl {
  Impl(Options options, Handler handler) {
    state.options = std::move(options);
    state.handler = std::move(handler);
    state.max_body_bytes = state.options.max_body_bytes;
    state.header_timeout_ms = state.options.header_timeout.count();
    state.keep_alive_idle_ms = state.options.keep_alive_idle.count();
    const int threads = std::max(1, state.options.io_threads);
    for (int i = 0; i < threads; ++i) {
      registries.push_back(std::make_unique<detail::ThreadConnections>());
      contexts.push_back(std::make_unique<asio::io_context>(1));
      guards.push_back(asio::make_work_guard(*contexts.back()));
    }
  }

  ~Impl() {
    // Destroying a context destroys the coroutine frames suspended on it, which still
    // refer to `state` and `registries`: so the contexts go first.
    acceptor.reset();
    guards.clear();
    contexts.clear();
  }

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> DrainTask(std::chrono::milliseconds grace);
  // Until no connection is left or `deadline` has passed.
  asio::awaitable<void> WaitUntilQuiet(std::chrono::steady_clock::time_point deadline);
  void StopContexts() {
    for (auto& context : contexts) context->stop();
  }

  detail::ServerState state;
  std::vector<std::unique_ptr<detail::ThreadConnections>> registries;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::uint16_t port = 0;
  std::atomic<bool> drain_requested{false};
  std::size_t next_context = 0;  // only used by the accept loop
};

asio::awaitable<void> Server::Impl::AcceptLoop() {
  asio::steady_timer backoff(co_await asio::this_coro::executor);
  for (;;) {
    const std::size_t index = next_context++ % contexts.size();
    asio::any_io_executor executor = contexts[index]->get_executor();
    auto [ec, socket] = co_await acceptor->async_accept(executor, kAwait);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      // For example out of file descriptors: wait a little instead of spinning.
      backoff.expires_after(std::chrono::milliseconds(10));
      co_await backoff.async_wait(kAwait);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(*contexts[index],
                   detail::RunConnection(state, *registries[index], std::move(socket)),
                   asio::detached);
  }
}

asio::awaitable<void> Server::Impl::WaitUntilQuiet(std::chrono::steady_clock::time_point deadline) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (state.connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(kAwait);
  }
}

asio::awaitable<void> Server::Impl::DrainTask(std::chrono::milliseconds grace) {
  boost::system::error_code ignored;
  if (acceptor) acceptor->close(ignored);
  for (std::size_t i = 0; i < contexts.size(); ++i) {
    detail::ThreadConnections* registry = registries[i].get();
    asio::post(*contexts[i], [registry] { registry->CloseIdle(); });
  }
  co_await WaitUntilQuiet(std::chrono::steady_clock::now() + grace);
  if (state.connections.load() > 0) {
    // Grace is over: requests still running are told to end their responses honestly (a
    // stream gets its terminal error event) and to leave their records, then everything
    // is closed.
    for (std::size_t i = 0; i < contexts.size(); ++i) {
      detail::ThreadConnections* registry = registries[i].get();
      asio::post(*contexts[i], [registry] { registry->ShutdownAll(); });
    }
    co_await WaitUntilQuiet(std::chrono::steady_clock::now() + state.options.shutdown_flush);
  }
  StopContexts();
}

Server::Server(Options options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
  Stop();
  impl_.reset();
}

void Server::Listen() {
  try {
    const auto address = asio::ip::make_address(impl_->state.options.address);
    const tcp::endpoint endpoint(address, impl_->state.options.port);
    auto acceptor = std::make_unique<tcp::acceptor>(*impl_->contexts[0]);
    acceptor->open(endpoint.protocol());
    acceptor->set_option(asio::socket_base::reuse_address(true));
    acceptor->bind(endpoint);
    acceptor->listen(asio::socket_base::max_listen_connections);
    impl_->port = acceptor->local_endpoint().port();
    impl_->acceptor = std::move(acceptor);
  } catch (const boost::system::system_error& e) {
    throw std::system_error(std::error_code(e.code()),
                            "listen on " + impl_->state.options.address + ":" +
                                std::to_string(impl_->state.options.port));
  }
  asio::co_spawn(*impl_->contexts[0], impl_->AcceptLoop(), asio::detached);
}

std::uint16_t Server::port() const {
  return impl_->port;
}

void Server::Run() {
  if (!impl_->acceptor) throw std::logic_error("http::Server::Run called before Listen");
  auto run_context = [this](std::size_t index) {
    t_current_context = impl_->contexts[index].get();
    impl_->contexts[index]->run();
    t_current_context = nullptr;
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i) threads.emplace_back(run_context, i);
  run_context(0);
  for (auto& thread : threads) thread.join();
  // No thread runs a context any more, so their objects may be touched from here.
  boost::system::error_code ignored;
  impl_->acceptor->close(ignored);
  for (auto& registry : impl_->registries) registry->CloseAll();
}

void Server::Drain(std::chrono::milliseconds grace) {
  impl_->state.draining.store(true);
  if (impl_->drain_requested.exchange(true)) return;
  Impl* impl = impl_.get();
  asio::post(*impl->contexts[0], [impl, grace] {
    asio::co_spawn(*impl->contexts[0], impl->DrainTask(grace), asio::detached);
  });
}

void Server::SetLimits(const ServerLimits& limits) {
  impl_->state.max_body_bytes = limits.max_body_bytes;
  impl_->state.header_timeout_ms = limits.header_timeout.count();
  impl_->state.keep_alive_idle_ms = limits.keep_alive_idle.count();
}

void Server::Stop() {
  impl_->state.draining.store(true);
  impl_->StopContexts();
}

asio::io_context* Server::CurrentIoContext() {
  return t_current_context;
}

std::size_t Server::in_flight() const {
  return impl_->state.in_flight.load();
}

}  // namespace lanewise::http
