#include "api/openai_errors.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

namespace lanewise::api {
namespace {

struct Mapping {
  int http_status;
  const char* type;
};

Mapping MapCode(const core::Status& status) {
  switch (status.code()) {
    case core::StatusCode::kOk:
      return {200, ""};
    case core::StatusCode::kInvalidArgument:
      return {400, "invalid_request_error"};
    case core::StatusCode::kNotFound:
      return {404, "invalid_request_error"};
    case core::StatusCode::kPermissionDenied:
      return {403, "permission_error"};
    case core::StatusCode::kPayloadTooLarge:
      return {413, "invalid_request_error"};
    case core::StatusCode::kUnavailable:
      // The gateway's own unavailability (draining, or it cannot keep the evidence a class
      // requires) is 503; a lane's is 502.
      if (status.reason() == "server_shutting_down" || status.reason() == "audit_unavailable") {
        return {503, "unavailable_error"};
      }
      // A lane at its capacity (docs/policy.md, "Capacity"): refused at once, or its queue.
      if (status.reason() == "lane_at_capacity") return {429, "rate_limit_error"};
      if (status.reason() == "lane_queue_full" || status.reason() == "lane_queue_timeout") {
        return {503, "unavailable_error"};
      }
      return {502, "upstream_error"};
    case core::StatusCode::kDeadlineExceeded:
      return {504, "timeout_error"};
    case core::StatusCode::kUpstreamProtocol:
      return {502, "upstream_error"};
    case core::StatusCode::kCancelled:
      return {499, "cancelled"};
    case core::StatusCode::kUpstreamError: {
      int http = status.upstream_http_status();
      if (http < 400 || http > 599) http = 502;
      return {http, "upstream_error"};
    }
    case core::StatusCode::kInternal:
      return {500, "server_error"};
  }
  return {500, "server_error"};
}

// The lane's own error object, passed through as the lane wrote it (its code and details
// such as llama.cpp's n_prompt_tokens and n_ctx), with OpenAI's `param` added if missing.
std::optional<boost::json::object> UpstreamErrorObject(const core::Status& status) {
  if (status.code() != core::StatusCode::kUpstreamError || status.upstream_error().empty()) {
    return std::nullopt;
  }
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(status.upstream_error(), ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  boost::json::object error = std::move(parsed.get_object());
  if (const auto* m = error.if_contains("message"); m == nullptr || !m->is_string()) {
    error["message"] = status.message();
  }
  if (!error.contains("type")) error["type"] = status.upstream_type();
  if (!error.contains("param")) error["param"] = nullptr;
  if (!error.contains("code")) error["code"] = nullptr;
  return error;
}

boost::json::object ErrorObject(const core::Status& status, const Mapping& mapping) {
  if (auto passed = UpstreamErrorObject(status)) {
    boost::json::object root;
    root["error"] = std::move(*passed);
    return root;
  }
  boost::json::object error;
  error["message"] = status.message();
  error["type"] =
      status.code() == core::StatusCode::kUpstreamError && !status.upstream_type().empty()
          ? status.upstream_type()
          : std::string(mapping.type);
  if (status.param().empty()) {
    error["param"] = nullptr;
  } else {
    error["param"] = status.param();
  }
  if (status.reason().empty()) {
    error["code"] = nullptr;
  } else {
    error["code"] = status.reason();
  }
  boost::json::object root;
  root["error"] = std::move(error);
  return root;
}

}  // namespace

int RetryAfterSeconds(const core::Status& status, int http_status) {
  if (status.retry_after_seconds() > 0) return status.retry_after_seconds();
  if (http_status == 429 || http_status == 503) return 1;
  if (http_status == 502 && (status.code() == core::StatusCode::kUnavailable ||
                             status.code() == core::StatusCode::kUpstreamProtocol)) {
    return 1;
  }
  return 0;
}

ErrorEnvelope ToOpenAiError(const core::Status& status) {
  Mapping mapping = MapCode(status);
  return {mapping.http_status, boost::json::serialize(ErrorObject(status, mapping)),
          RetryAfterSeconds(status, mapping.http_status)};
}

std::string OpenAiErrorJson(const core::Status& status) {
  return boost::json::serialize(ErrorObject(status, MapCode(status)));
}

}  // namespace lanewise::api
