#include "core/status.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace lanewise::core {
namespace {

// A Status sits in every Result, stream event and awaiting coroutine frame: it stays small.
static_assert(sizeof(Status) <= 16);

TEST(StatusTest, OkCarriesNothing) {
  const Status ok = Status::Ok();
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.message(), "");
  EXPECT_EQ(ok.reason(), "");
  EXPECT_EQ(ok.param(), "");
  EXPECT_EQ(ok.upstream_http_status(), 0);
  EXPECT_EQ(ok.retry_after_seconds(), 0);
  EXPECT_EQ(ok.ToString(), "ok");
}

TEST(StatusTest, AnErrorCarriesEveryDetail) {
  Status s = Unavailable("lane down", "lane_unreachable");
  s.WithUpstream(503, "overloaded").WithUpstreamError(R"({"message":"x"})");
  s.WithParam("messages[0].role").WithRetryAfter(7);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "lane down");
  EXPECT_EQ(s.reason(), "lane_unreachable");
  EXPECT_EQ(s.upstream_http_status(), 503);
  EXPECT_EQ(s.upstream_type(), "overloaded");
  EXPECT_EQ(s.upstream_error(), R"({"message":"x"})");
  EXPECT_EQ(s.param(), "messages[0].role");
  EXPECT_EQ(s.retry_after_seconds(), 7);
  EXPECT_EQ(s.ToString(), "unavailable(lane_unreachable): lane down");
}

TEST(StatusTest, CopiesAreIndependent) {
  Status original = InvalidArgument("bad role", "invalid_role");
  Status copy = original;
  copy.WithParam("messages[1].role");
  EXPECT_EQ(original.param(), "");
  EXPECT_EQ(copy.param(), "messages[1].role");
  EXPECT_EQ(copy.message(), "bad role");

  Status assigned;
  assigned = copy;
  copy.WithRetryAfter(3);
  EXPECT_EQ(assigned.retry_after_seconds(), 0);
  EXPECT_EQ(assigned.param(), "messages[1].role");
  assigned = Status::Ok();
  EXPECT_TRUE(assigned.ok());
  EXPECT_EQ(assigned.message(), "");
}

TEST(StatusTest, MovingCarriesTheDetails) {
  Status from = DeadlineExceeded("too slow", "idle_timeout");
  Status to = std::move(from);
  EXPECT_EQ(to.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(to.message(), "too slow");
  EXPECT_EQ(to.reason(), "idle_timeout");
  Status again;
  again = std::move(to);
  EXPECT_EQ(again.reason(), "idle_timeout");
}

TEST(StatusTest, DetailsOnAnOkStatusAreKept) {
  Status s;
  s.WithParam("model");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.param(), "model");
}

}  // namespace
}  // namespace lanewise::core
