#include "lanes/upstream_error.h"

#include <gtest/gtest.h>

namespace lanewise::lanes {
namespace {

TEST(UpstreamErrorTest, ReadsOpenAiAndLlamaErrorBodies) {
  auto openai = UpstreamHttpError(
      429, R"({"error":{"message":"Rate limit reached","type":"rate_limit_error","code":null}})",
      "cloud");
  EXPECT_EQ(openai.code(), core::StatusCode::kUpstreamError);
  EXPECT_EQ(openai.upstream_http_status(), 429);
  EXPECT_EQ(openai.upstream_type(), "rate_limit_error");
  EXPECT_EQ(openai.message(), "Rate limit reached");

  auto llama = UpstreamHttpError(
      400,
      R"({"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error","n_prompt_tokens":3029,"n_ctx":2048}})",
      "local");
  EXPECT_EQ(llama.upstream_type(), "exceed_context_size_error");
  EXPECT_EQ(llama.message(), "the request exceeds the available context size");
}

TEST(UpstreamErrorTest, PlainTextAndEmptyBodiesStillGiveAMessage) {
  auto text = UpstreamHttpError(502, "Bad Gateway from some proxy", "cloud");
  EXPECT_EQ(text.message(), "Bad Gateway from some proxy");
  EXPECT_EQ(text.upstream_type(), "upstream_error");
  auto empty = UpstreamHttpError(503, "", "cloud");
  EXPECT_FALSE(empty.message().empty());
}

TEST(UpstreamErrorTest, StreamErrorsNameTheLane) {
  auto status = UpstreamStreamError(
      R"({"error":{"code":500,"message":"boom","type":"server_error"}})", "local");
  EXPECT_NE(status.message().find("lane 'local'"), std::string::npos);
  EXPECT_NE(status.message().find("boom"), std::string::npos);
  EXPECT_EQ(status.reason(), "lane_stream_error");
}

}  // namespace
}  // namespace lanewise::lanes
