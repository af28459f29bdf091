#include "route/executor.h"

#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "inspect/inspector.h"
#include "lanes/upstream_error.h"
#include "route/decision_error.h"
#include "scripted_lane.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <deque>
#include <optional>

namespace lanewise::route {
namespace {

using namespace fixture;  // NOLINT: the fixture of scripted_lane.h

TEST(ShouldFallBackTest, RetriesOnlyWhatAnotherLaneMayFix) {
  EXPECT_TRUE(ShouldFallBack(core::Unavailable("x")));
  EXPECT_TRUE(ShouldFallBack(core::DeadlineExceeded("x")));
  EXPECT_TRUE(ShouldFallBack(LaneHttpError(429)));
  EXPECT_TRUE(ShouldFallBack(LaneHttpError(503)));
  EXPECT_FALSE(ShouldFallBack(LaneHttpError(400)));
  EXPECT_FALSE(ShouldFallBack(core::InvalidArgument("x")));
  EXPECT_FALSE(ShouldFallBack(core::Status(core::StatusCode::kCancelled, "gone")));
}

TEST(ExecutorTest, FallsBackWithinThePlanOnUnreachableLane) {
  Fixture f({{core::Unavailable("refused"), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto decision = PlanAB();
  auto result = RunTask(executor.Complete(request, kNoFacts, decision, {}, record));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->body, "answer from b model-b");
  EXPECT_EQ(record.served_by, "b");
  ASSERT_EQ(record.attempts.size(), 2u);
  EXPECT_EQ(record.attempts[0].status.reason(), "lane_unreachable");
}

TEST(ExecutorTest, DoesNotFallBackOnClientErrors) {
  Fixture f({{LaneHttpError(400), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto decision = PlanAB();
  auto result = RunTask(executor.Complete(request, kNoFacts, decision, {}, record));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().upstream_http_status(), 400);
  EXPECT_EQ(f.b->calls, 0);
}

TEST(ExecutorTest, NeverCallsALaneOutsideThePlan) {
  Fixture f({{core::Unavailable("down"), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  core::RouteDecision only_a;
  only_a.plan = {{"a", "model-a", "primary", false}};
  auto result = RunTask(executor.Complete(request, kNoFacts, only_a, {}, record));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(f.b->calls, 0);
}

TEST(ExecutorTest, AnAttemptThatNeedsRedactionIsNeverSentInTheClear) {
  Fixture f({{core::Unavailable("down"), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  core::RouteDecision decision = PlanAB();
  decision.plan[1].redact = true;
  auto result = RunTask(executor.Complete(request, kNoFacts, decision, {}, record));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(f.b->calls, 0);
  ASSERT_EQ(record.attempts.size(), 2u);
  EXPECT_EQ(record.attempts[1].status.reason(), "redaction_unavailable");
  auto stream = RunTask(executor.Stream(request, kNoFacts, decision, {}, record));
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(f.b->calls, 0);
}

TEST(ExecutorTest, EmptyPlanFailsClosed) {
  Fixture f({{core::Status::Ok(), {}}}, {{core::Status::Ok(), {}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  core::RouteDecision none;
  none.no_route = true;
  auto result = RunTask(executor.Complete(request, kNoFacts, none, {}, record));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "no_route");
  EXPECT_EQ(f.a->calls + f.b->calls, 0);
}

TEST(ExecutorTest, StreamFallsBackWhenTheFirstEventIsAnError) {
  Fixture f({{core::Status::Ok(), {core::ChatEvent::Error(core::Unavailable("reset"))}}},
            {{core::Status::Ok(), {core::ChatEvent::Chunk("{\"n\":1}"), core::ChatEvent::Done()}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto decision = PlanAB();
  auto stream = RunTask(executor.Stream(request, kNoFacts, decision, {}, record));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(record.served_by, "b");
  auto first = RunTask(stream.value()->Next());
  EXPECT_EQ(first.kind, core::ChatEvent::Kind::kChunk);
  EXPECT_EQ(first.data, "{\"n\":1}");
  EXPECT_EQ(RunTask(stream.value()->Next()).kind, core::ChatEvent::Kind::kDone);
}

TEST(ExecutorTest, StreamDoesNotFallBackAfterTheFirstEvent) {
  Fixture f({{core::Status::Ok(),
              {core::ChatEvent::Chunk("{}"), core::ChatEvent::Error(core::Unavailable("reset"))}}},
            {{core::Status::Ok(), {core::ChatEvent::Done()}}});
  Executor executor(f.registry);
  ExecutionRecord record;
  core::ChatRequest request;
  auto decision = PlanAB();
  auto stream = RunTask(executor.Stream(request, kNoFacts, decision, {}, record));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(RunTask(stream.value()->Next()).kind, core::ChatEvent::Kind::kChunk);
  auto second = RunTask(stream.value()->Next());
  EXPECT_EQ(second.kind, core::ChatEvent::Kind::kError);
  EXPECT_EQ(f.b->calls, 0);
}

TEST(ExecutorTest, OutcomesFeedTheLaneBreaker) {
  Fixture f({{core::Unavailable("down"), {}}}, {{core::Status::Ok(), {}}});
  auto health = std::make_shared<lanes::LaneHealth>(
      lanes::LaneHealthOptions{2, std::chrono::seconds(60), std::chrono::seconds(60)});
  Executor executor(f.registry, nullptr, health);
  core::ChatRequest request;
  for (int i = 0; i < 2; ++i) {
    ExecutionRecord record;
    ASSERT_TRUE(RunTask(executor.Complete(request, kNoFacts, PlanAB(), {}, record)).ok());
  }
  auto states = health->Snapshot();
  EXPECT_FALSE(states.at("a").reachable);  // two connection failures in a row
  EXPECT_TRUE(states.at("b").reachable);
  EXPECT_GE(states.at("b").p50_latency_ms, 0.0);
  // A client error is the request's fault, not the lane's: it does not count.
  Fixture g({{LaneHttpError(400), {}}}, {{core::Status::Ok(), {}}});
  auto fresh = std::make_shared<lanes::LaneHealth>(
      lanes::LaneHealthOptions{2, std::chrono::seconds(60), std::chrono::seconds(60)});
  Executor second(g.registry, nullptr, fresh);
  for (int i = 0; i < 3; ++i) {
    ExecutionRecord record;
    EXPECT_FALSE(RunTask(second.Complete(request, kNoFacts, PlanAB(), {}, record)).ok());
  }
  EXPECT_EQ(g.a->calls, 3);
  auto after = fresh->Snapshot();
  EXPECT_TRUE(after.find("a") == after.end() || after.at("a").reachable);
}

// The breaker attack of issue 11: a request the lane cannot parse (llama.cpp answers
// malformed JSON, e.g. a number re-serialised as Infinity, with 500 json.exception) is the
// request's fault. Counting it let three bad requests every few seconds open the breaker
// for every other client.
TEST(ExecutorTest, ALaneRefusingTheRequestItselfDoesNotOpenItsBreaker) {
  const core::Status parse_error = lanes::UpstreamHttpError(
      500,
      R"({"error":{"code":500,"message":"[json.exception.parse_error.101] parse error at line 1, column 40: syntax error while parsing value - invalid literal; last read: '1e99999'","type":"server_error"}})",
      "a");
  EXPECT_TRUE(lanes::CausedByRequest(parse_error));
  EXPECT_FALSE(CountsAgainstLane(parse_error));
  EXPECT_FALSE(ShouldFallBack(parse_error));  // every lane would refuse it alike
  EXPECT_TRUE(CountsAgainstLane(LaneHttpError(503)));
  EXPECT_TRUE(CountsAgainstLane(LaneHttpError(429)));
  EXPECT_TRUE(CountsAgainstLane(core::Unavailable("refused")));
  EXPECT_FALSE(CountsAgainstLane(LaneHttpError(404)));

  Fixture f({{parse_error, {}}}, {{core::Status::Ok(), {}}});
  auto health = std::make_shared<lanes::LaneHealth>(
      lanes::LaneHealthOptions{2, std::chrono::seconds(60), std::chrono::seconds(60)});
  Executor executor(f.registry, nullptr, health);
  core::ChatRequest request;
  for (int i = 0; i < 5; ++i) {
    ExecutionRecord record;
    auto answer = RunTask(executor.Complete(request, kNoFacts, PlanAB(), {}, record));
    EXPECT_FALSE(answer.ok());
    EXPECT_EQ(answer.status().upstream_http_status(), 500);
  }
  EXPECT_EQ(f.a->calls, 5);
  EXPECT_EQ(f.b->calls, 0);
  auto states = health->Snapshot();
  EXPECT_TRUE(states.find("a") == states.end() || states.at("a").reachable);
}

TEST(DecisionErrorTest, OnePlaceTurnsADecisionIntoTheClientsError) {
  core::RouteDecision served;
  served.plan = {{"a", "m", "primary", false}};
  EXPECT_TRUE(DecisionError(served, "chat").ok());
  auto refused = [](std::string reason) {
    core::RouteDecision d;
    d.no_route = true;
    d.data_class = "restricted";
    d.reasons = {std::move(reason)};
    return d;
  };
  auto model = DecisionError(refused("unknown_model"), "nope");
  EXPECT_EQ(model.code(), core::StatusCode::kNotFound);
  EXPECT_EQ(model.reason(), "model_not_found");
  EXPECT_NE(model.message().find("'nope'"), std::string::npos);
  EXPECT_EQ(DecisionError(refused("unknown_data_class"), "chat").reason(), "unknown_data_class");
  auto down = DecisionError(refused("all_allowed_lanes_down"), "chat");
  EXPECT_EQ(down.code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(down.reason(), "all_allowed_lanes_down");
  auto none = DecisionError(refused("no_allowed_lane"), "chat");
  EXPECT_EQ(none.code(), core::StatusCode::kPermissionDenied);
  EXPECT_EQ(none.reason(), "no_route");
  EXPECT_NE(none.message().find("no_allowed_lane"), std::string::npos);
}

// --- Redaction through the executor -------------------------------------------------

constexpr const char* kRedactPolicy = R"(
lanes:
  - { name: a, kind: local, base_url: "http://127.0.0.1:1/v1", models: [{ alias: chat, upstream: m }] }
  - { name: b, kind: managed, base_url: "http://127.0.0.1:2/v1", models: [{ alias: chat, upstream: m }] }
policy:
  data_classes:
    - { name: public, crossing: allow }
    - { name: confidential, crossing: redact, minimum_context: { strip_system: true } }
)";

struct RedactingExecutor {
  std::shared_ptr<const inspect::Inspector> inspector;
  std::shared_ptr<const redact::RequestRedactor> redactor;
  RedactingExecutor() {
    auto config = config::LoadConfigString(kRedactPolicy, "executor-test.yaml");
    if (!config.ok()) throw std::runtime_error(config.status().message());
    inspect::InspectorOptions options;
    options.gazetteer_dir = "";  // patterns only: no names or addresses needed here
    auto built = inspect::Inspector::Build(options);
    if (!built.ok()) throw std::runtime_error(built.status().message());
    inspector = built.value();
    redactor = std::make_shared<redact::RequestRedactor>(config.value(), inspector);
  }
};

core::ChatRequest EmailRequest() {
  core::ChatRequest request;
  request.request_id = "req_x";
  request.body =
      boost::json::parse(R"({"model":"chat","messages":[{"role":"system","content":"be brief"},)"
                         R"({"role":"user","content":"write to grace@example.org"}]})")
          .as_object();
  return request;
}

core::RouteDecision CloudThenLocal() {
  core::RouteDecision decision;
  decision.data_class = "confidential";
  decision.plan = {{"b", "m", "primary", true}, {"a", "m", "fallback", false}};
  return decision;
}

// The answer echoes whatever placeholder the cloud received.
std::string PlaceholderIn(const std::string& sent) {
  auto at = sent.find("[EMAIL_ADDRESS_");
  return at == std::string::npos ? std::string() : sent.substr(at, sent.find(']', at) - at + 1);
}

TEST(ExecutorRedactionTest, CloudSeesPlaceholdersClientGetsValuesBack) {
  RedactingExecutor r;
  Fixture f({{core::Status::Ok(), {}}}, {{core::Status::Ok(), {}, "later"}});
  Executor executor(f.registry, r.redactor);
  core::ChatRequest request = EmailRequest();
  core::Facts facts = r.inspector->Inspect(request);
  // First call only to learn the placeholder the cloud is sent for this request.
  ExecutionRecord probe;
  ASSERT_TRUE(RunTask(executor.Complete(request, facts, CloudThenLocal(), {}, probe)).ok());
  ASSERT_EQ(f.b->received.size(), 1u);
  const std::string sent = f.b->received[0];
  EXPECT_EQ(sent.find("grace@example.org"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("be brief"), std::string::npos) << "system prompt stripped: " << sent;
  const std::string placeholder = PlaceholderIn(sent);
  ASSERT_FALSE(placeholder.empty()) << sent;
  EXPECT_TRUE(probe.attempts[0].redacted);
  EXPECT_EQ(probe.attempts[0].redacted_by_type.at("EMAIL_ADDRESS"), 1);
  EXPECT_EQ(probe.attempts[0].messages_dropped, 1);

  Fixture g({{core::Status::Ok(), {}}},
            {{core::Status::Ok(),
              {},
              R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Sent to )" +
                  placeholder + R"( and [EMAIL_ADDRESS_00000000]."}}]})"}});
  Executor second(g.registry, r.redactor);
  ExecutionRecord record;
  auto answer = RunTask(second.Complete(request, facts, CloudThenLocal(), {}, record));
  ASSERT_TRUE(answer.ok()) << answer.status().message();
  const auto content =
      boost::json::parse(answer->body).at("choices").at(0).at("message").at("content");
  EXPECT_EQ(content.as_string(), "Sent to grace@example.org and [EMAIL_ADDRESS_00000000].");
}

TEST(ExecutorRedactionTest, StreamedPlaceholdersAreRestoredAcrossChunks) {
  RedactingExecutor r;
  core::ChatRequest request = EmailRequest();
  core::Facts facts = r.inspector->Inspect(request);
  // Learn the placeholder (deterministic for this request id and process key).
  Fixture probe_lanes({{core::Status::Ok(), {}}}, {{core::Status::Ok(), {}}});
  ExecutionRecord probe;
  Executor probe_executor(probe_lanes.registry, r.redactor);
  ASSERT_TRUE(RunTask(probe_executor.Complete(request, facts, CloudThenLocal(), {}, probe)).ok());
  const std::string placeholder = PlaceholderIn(probe_lanes.b->received.at(0));
  ASSERT_FALSE(placeholder.empty());
  auto chunk = [](const std::string& text) {
    return core::ChatEvent::Chunk(R"({"choices":[{"index":0,"delta":{"content":")" + text +
                                  R"("},"finish_reason":null}]})");
  };
  const std::size_t cut = placeholder.size() / 2;
  Fixture f({{core::Status::Ok(), {}}},
            {{core::Status::Ok(),
              {chunk("to " + placeholder.substr(0, cut)), chunk(placeholder.substr(cut) + "!"),
               core::ChatEvent::Done()}}});
  Executor executor(f.registry, r.redactor);
  ExecutionRecord record;
  auto stream = RunTask(executor.Stream(request, facts, CloudThenLocal(), {}, record));
  ASSERT_TRUE(stream.ok());
  std::string text;
  for (;;) {
    core::ChatEvent event = RunTask(stream.value()->Next());
    if (event.kind != core::ChatEvent::Kind::kChunk) {
      EXPECT_EQ(event.kind, core::ChatEvent::Kind::kDone);
      break;
    }
    text +=
        boost::json::parse(event.data).at("choices").at(0).at("delta").at("content").as_string();
  }
  EXPECT_EQ(text, "to grace@example.org!");
}

TEST(ExecutorRedactionTest, LocalFallbackGetsTheRequestAsIs) {
  RedactingExecutor r;
  Fixture f({{core::Status::Ok(), {}}}, {{core::Unavailable("cloud down"), {}}});
  Executor executor(f.registry, r.redactor);
  core::ChatRequest request = EmailRequest();
  ExecutionRecord record;
  auto answer = RunTask(
      executor.Complete(request, r.inspector->Inspect(request), CloudThenLocal(), {}, record));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(record.served_by, "a");
  ASSERT_EQ(f.a->received.size(), 1u);
  EXPECT_NE(f.a->received[0].find("grace@example.org"), std::string::npos);
  EXPECT_NE(f.a->received[0].find("be brief"), std::string::npos);
  EXPECT_EQ(f.b->received[0].find("grace@example.org"), std::string::npos);
}

}  // namespace
}  // namespace lanewise::route
