#include "api/anthropic_errors.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace lanewise::api {
namespace {

const char* AnthropicType(int http_status) {
  switch (http_status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return http_status >= 400 && http_status < 500 ? "invalid_request_error" : "api_error";
  }
}

std::string Serialize(const core::Status& status, int http_status) {
  boost::json::object error;
  error["type"] = AnthropicType(http_status);
  std::string message = status.message();
  if (!status.reason().empty()) message += " [" + status.reason() + "]";
  error["message"] = message;
  // The lane's details (llama.cpp's n_prompt_tokens and n_ctx on a context overflow) ride
  // along; its code stays in `upstream_code`, untouched.
  if (status.code() == core::StatusCode::kUpstreamError && !status.upstream_error().empty()) {
    boost::system::error_code ec;
    boost::json::value upstream = boost::json::parse(status.upstream_error(), ec);
    if (!ec && upstream.is_object()) {
      for (const auto& [key, value] : upstream.get_object()) {
        if (key == "message" || key == "type") continue;
        error[key == "code" ? boost::json::string_view("upstream_code") : key] = value;
      }
    }
  }
  boost::json::object root;
  root["type"] = "error";
  root["error"] = std::move(error);
  return boost::json::serialize(root);
}

}  // namespace

ErrorEnvelope ToAnthropicError(const core::Status& status) {
  const ErrorEnvelope openai = ToOpenAiError(status);
  return {openai.http_status, Serialize(status, openai.http_status), openai.retry_after};
}

std::string AnthropicErrorJson(const core::Status& status) {
  return Serialize(status, ToOpenAiError(status).http_status);
}

}  // namespace lanewise::api
