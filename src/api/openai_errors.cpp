#include "api/openai_errors.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

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

boost::json::object ErrorObject(const core::Status& status, const Mapping& mapping) {
  boost::json::object error;
  error["message"] = status.message();
  error["type"] =
      status.code() == core::StatusCode::kUpstreamError && !status.upstream_type().empty()
          ? status.upstream_type()
          : std::string(mapping.type);
  error["param"] = nullptr;
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

ErrorEnvelope ToOpenAiError(const core::Status& status) {
  Mapping mapping = MapCode(status);
  return {mapping.http_status, boost::json::serialize(ErrorObject(status, mapping))};
}

std::string OpenAiErrorJson(const core::Status& status) {
  return boost::json::serialize(ErrorObject(status, MapCode(status)));
}

}  // namespace lanewise::api
