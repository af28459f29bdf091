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

TEST(OpenAiErrorsTest, ImplausibleUpstreamStatusBecomes502) {
  core::Status status(core::StatusCode::kUpstreamError, "odd", "lane_error_200");
  status.WithUpstream(200, "");
  EXPECT_EQ(ToOpenAiError(status).http_status, 502);
}

}  // namespace
}  // namespace lanewise::api
