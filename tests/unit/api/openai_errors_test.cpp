#include "api/openai_errors.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace lanewise::api {
namespace {

boost::json::object ErrorOf(const std::string& body) {
  return boost::json::parse(body).as_object().at("error").as_object();
}

TEST(OpenAiErrorsTest, MapsEachStatusCodeToHttpStatusAndType) {
  struct Case {
    core::Status status;
    int http;
    const char* type;
  };
  const Case cases[] = {
      {core::InvalidArgument("bad"), 400, "invalid_request_error"},
      {core::NotFound("no model", "model_not_found"), 404, "invalid_request_error"},
      {core::Status(core::StatusCode::kPermissionDenied, "no", "no_route"), 403,
       "permission_error"},
      {core::Status(core::StatusCode::kPayloadTooLarge, "big", "body_too_large"), 413,
       "invalid_request_error"},
      {core::Unavailable("down"), 502, "upstream_error"},
      {core::DeadlineExceeded("slow"), 504, "timeout_error"},
      {core::Internal("bug"), 500, "server_error"},
  };
  for (const auto& c : cases) {
    ErrorEnvelope envelope = ToOpenAiError(c.status);
    EXPECT_EQ(envelope.http_status, c.http) << c.status.ToString();
    auto error = ErrorOf(envelope.body);
    EXPECT_EQ(error.at("type").as_string(), c.type);
    EXPECT_EQ(error.at("message").as_string(), c.status.message());
    EXPECT_EQ(error.at("code").as_string(), c.status.reason());
    EXPECT_TRUE(error.at("param").is_null());
  }
}

TEST(OpenAiErrorsTest, UpstreamErrorsKeepTheLaneStatusAndType) {
  core::Status status(core::StatusCode::kUpstreamError, "Rate limit reached", "lane_error_429");
  status.WithUpstream(429, "rate_limit_error");
  ErrorEnvelope envelope = ToOpenAiError(status);
  EXPECT_EQ(envelope.http_status, 429);
  auto error = ErrorOf(envelope.body);
  EXPECT_EQ(error.at("type").as_string(), "rate_limit_error");
  EXPECT_EQ(error.at("message").as_string(), "Rate limit reached");
}

TEST(OpenAiErrorsTest, TheLaneErrorObjectPassesThroughWithItsCodeAndDetails) {
  core::Status status(core::StatusCode::kUpstreamError, "too long", "lane_error_400");
  status.WithUpstream(400, "exceed_context_size_error");
  status.WithUpstreamError(
      R"({"code":400,"message":"too long","type":"exceed_context_size_error","n_prompt_tokens":3029,"n_ctx":2048})");
  ErrorEnvelope envelope = ToOpenAiError(status);
  EXPECT_EQ(envelope.http_status, 400);
  auto error = ErrorOf(envelope.body);
  EXPECT_EQ(error.at("code").as_int64(), 400);  // the lane's, not "lane_error_400"
  EXPECT_EQ(error.at("n_prompt_tokens").as_int64(), 3029);
  EXPECT_EQ(error.at("n_ctx").as_int64(), 2048);
  EXPECT_TRUE(error.at("param").is_null());
  EXPECT_EQ(envelope.retry_after, 0);
}

TEST(OpenAiErrorsTest, RetryableAnswersSayWhenToRetry) {
  core::Status limited(core::StatusCode::kUpstreamError, "slow down", "lane_error_429");
  limited.WithUpstream(429, "rate_limit_error").WithRetryAfter(7);
  EXPECT_EQ(ToOpenAiError(limited).retry_after, 7);
  core::Status silent(core::StatusCode::kUpstreamError, "slow down", "lane_error_429");
  silent.WithUpstream(429, "rate_limit_error");
  EXPECT_EQ(ToOpenAiError(silent).retry_after, 1);
  EXPECT_EQ(ToOpenAiError(core::Unavailable("down", "all_allowed_lanes_down")).retry_after, 1);
  EXPECT_EQ(ToOpenAiError(core::InvalidArgument("bad")).retry_after, 0);
  auto param = ErrorOf(ToOpenAiError(core::InvalidArgument("bad").WithParam("messages")).body);
  EXPECT_EQ(param.at("param").as_string(), "messages");
}

TEST(OpenAiErrorsTest, ImplausibleUpstreamStatusBecomes502) {
  core::Status status(core::StatusCode::kUpstreamError, "odd", "lane_error_200");
  status.WithUpstream(200, "");
  EXPECT_EQ(ToOpenAiError(status).http_status, 502);
}

}  // namespace
}  // namespace lanewise::api
