// Status: the error value used on the data path instead of exceptions.
// A Status is cheap to copy when ok and carries a code, a message and an optional
// machine-readable reason (for example "no_route" or "upstream_timeout").
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace lanewise::core {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // the client sent something malformed (400)
  kNotFound,          // unknown model alias or path (404)
  kPermissionDenied,  // policy forbids every lane (403)
  kPayloadTooLarge,   // request body over the limit (413)
  kUnavailable,       // lane unreachable: connect refused, reset (502)
  kDeadlineExceeded,  // a lane deadline passed (504)
  kUpstreamError,     // the lane answered with an error status (passed through)
  kUpstreamProtocol,  // the lane spoke something we cannot read (502)
  kCancelled,         // the client went away
  kInternal,          // a bug or an unexpected condition (500)
};

std::string_view StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string reason = {})
      : code_(code), message_(std::move(message)), reason_(std::move(reason)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // A short snake_case reason code for clients and audit records; may be empty.
  const std::string& reason() const { return reason_; }

  // For kUpstreamError: the lane's HTTP status and its error body's type, passed through.
  int upstream_http_status() const { return upstream_http_status_; }
  const std::string& upstream_type() const { return upstream_type_; }
  Status& WithUpstream(int http_status, std::string type) {
    upstream_http_status_ = http_status;
    upstream_type_ = std::move(type);
    return *this;
  }
  // For kUpstreamError: the lane's own error object (JSON text of `{"message",...}`), so
  // that a front can pass its details (code, n_prompt_tokens, n_ctx...) through unchanged.
  const std::string& upstream_error() const { return upstream_error_; }
  Status& WithUpstreamError(std::string error_json) {
    upstream_error_ = std::move(error_json);
    return *this;
  }

  // The request field at fault (OpenAI's `param`), e.g. "messages[0].role"; may be empty.
  const std::string& param() const { return param_; }
  Status& WithParam(std::string param) {
    param_ = std::move(param);
    return *this;
  }

  // Seconds a client should wait before retrying (a Retry-After header); 0: not said.
  int retry_after_seconds() const { return retry_after_seconds_; }
  Status& WithRetryAfter(int seconds) {
    retry_after_seconds_ = seconds;
    return *this;
  }

  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string reason_;
  int upstream_http_status_ = 0;
  std::string upstream_type_;
  std::string upstream_error_;
  std::string param_;
  int retry_after_seconds_ = 0;
};

inline Status InvalidArgument(std::string msg, std::string reason = "invalid_request") {
  return {StatusCode::kInvalidArgument, std::move(msg), std::move(reason)};
}
inline Status NotFound(std::string msg, std::string reason = "not_found") {
  return {StatusCode::kNotFound, std::move(msg), std::move(reason)};
}
inline Status Unavailable(std::string msg, std::string reason = "lane_unreachable") {
  return {StatusCode::kUnavailable, std::move(msg), std::move(reason)};
}
inline Status DeadlineExceeded(std::string msg, std::string reason = "lane_timeout") {
  return {StatusCode::kDeadlineExceeded, std::move(msg), std::move(reason)};
}
inline Status Internal(std::string msg, std::string reason = "internal_error") {
  return {StatusCode::kInternal, std::move(msg), std::move(reason)};
}

}  // namespace lanewise::core
