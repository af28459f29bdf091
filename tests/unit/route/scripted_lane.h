// A scripted lane and a two-lane fixture for the executor's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <deque>
#include <optional>

#include "lanes/lane.h"
#include "lanes/lane_registry.h"
#include "route/executor.h"

namespace lanewise::route::fixture {
namespace asio = boost::asio;

const core::Facts kNoFacts;

// A lane whose answers are scripted: each call pops the next outcome.
class ScriptedLane final : public lanes::Lane {
 public:
  struct Outcome {
    core::Status status;                  // non-ok: the call fails this way
    std::vector<core::ChatEvent> events;  // for streams
    std::string body = {};                // for Complete; empty: a fixed text
  };
  ScriptedLane(std::string name, std::deque<Outcome> outcomes,
               config::LaneKind kind = config::LaneKind::kLocal)
      : outcomes_(std::move(outcomes)) {
    config_.name = std::move(name);
    config_.kind = kind;
  }
  const config::LaneConfig& config() const override { return config_; }
  config::LaneConfig& mutable_config() { return config_; }
  int calls = 0;

  asio::awaitable<core::Result<core::ChatResponse>> Complete(const core::ChatRequest& request,
                                                             const std::string& model,
                                                             const lanes::CallContext&) override {
    received.push_back(boost::json::serialize(request.body));
    Outcome outcome = Pop();
    if (!outcome.status.ok()) co_return outcome.status;
    if (!outcome.body.empty()) co_return core::ChatResponse{200, outcome.body};
    co_return core::ChatResponse{200, "answer from " + config_.name + " " + model};
  }
  asio::awaitable<core::Result<std::unique_ptr<lanes::ChatStream>>> Stream(
      const core::ChatRequest& request, const std::string&, const lanes::CallContext&) override {
    received.push_back(boost::json::serialize(request.body));
    Outcome outcome = Pop();
    if (!outcome.status.ok()) co_return outcome.status;
    std::unique_ptr<lanes::ChatStream> stream = std::make_unique<ListStream>(outcome.events);
    co_return stream;
  }
  asio::awaitable<core::Status> Probe(http::Millis) override { co_return core::Status::Ok(); }

 private:
  class ListStream final : public lanes::ChatStream {
   public:
    explicit ListStream(std::vector<core::ChatEvent> events) : events_(std::move(events)) {}
    asio::awaitable<core::ChatEvent> Next() override {
      if (next_ < events_.size()) co_return events_[next_++];
      co_return events_.back();
    }

   private:
    std::vector<core::ChatEvent> events_;
    std::size_t next_ = 0;
  };
  Outcome Pop() {
    ++calls;
    Outcome outcome = outcomes_.front();
    if (outcomes_.size() > 1) outcomes_.pop_front();
    return outcome;
  }
  config::LaneConfig config_;
  std::deque<Outcome> outcomes_;

 public:
  std::vector<std::string> received;  // the body of every call, as the lane saw it
};

inline core::Status LaneHttpError(int http) {
  core::Status status(core::StatusCode::kUpstreamError, "lane said no", "lane_error");
  status.WithUpstream(http, "upstream_error");
  return status;
}

struct Fixture {
  ScriptedLane* a;
  ScriptedLane* b;
  std::shared_ptr<lanes::LaneRegistry> registry;
  // Lane "a" is local, lane "b" managed (a cloud).
  Fixture(std::deque<ScriptedLane::Outcome> a_outcomes,
          std::deque<ScriptedLane::Outcome> b_outcomes) {
    auto lane_a = std::make_unique<ScriptedLane>("a", std::move(a_outcomes));
    auto lane_b =
        std::make_unique<ScriptedLane>("b", std::move(b_outcomes), config::LaneKind::kManaged);
    a = lane_a.get();
    b = lane_b.get();
    std::vector<std::unique_ptr<lanes::Lane>> all;
    all.push_back(std::move(lane_a));
    all.push_back(std::move(lane_b));
    registry = lanes::LaneRegistry::FromLanes(std::move(all));
  }
};

inline core::RouteDecision PlanAB() {
  core::RouteDecision decision;
  decision.plan = {{"a", "model-a", "primary", false}, {"b", "model-b", "fallback", false}};
  return decision;
}

template <typename T>
T RunTask(asio::awaitable<T> task) {
  asio::io_context io;
  std::optional<T> out;
  auto body = [&]() -> asio::awaitable<void> { out.emplace(co_await std::move(task)); };
  asio::co_spawn(io, body, asio::detached);
  io.run();
  return std::move(*out);
}

}  // namespace lanewise::route::fixture
