// Status: the error value used on the data path instead of exceptions.
// A Status is cheap to copy when ok and carries a code, a message and an optional
// machine-readable reason (for example "no_route" or "upstream_timeout").
#pragma once

#include <memory>
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

// Sixteen bytes: the code, and the details of an error behind one pointer (null when ok).
// Statuses sit in every Result, every stream event and every coroutine frame that awaits
// one, so their size is paid per open stream; errors are rare, so their allocation is not.
class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string reason = {})
      : code_(code),
        detail_(code == StatusCode::kOk && message.empty() && reason.empty()
                    ? nullptr
                    : std::make_unique<Detail>(std::move(message), std::move(reason))) {}
  Status(const Status& other)
      : code_(other.code_),
        detail_(other.detail_ ? std::make_unique<Detail>(*other.detail_) : nullptr) {}
  Status& operator=(const Status& other) {
    if (this != &other) {
      code_ = other.code_;
      detail_ = other.detail_ ? std::make_unique<Detail>(*other.detail_) : nullptr;
    }
    return *this;
  }
  // A moved-from Status keeps its code, with an empty message and reason.
  Status(Status&& other) noexcept = default;
  Status& operator=(Status&& other) noexcept = default;
  ~Status() = default;

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return detail_ ? detail_->message : Empty(); }
  // A short snake_case reason code for clients and audit records; may be empty.
  const std::string& reason() const { return detail_ ? detail_->reason : Empty(); }

  // For kUpstreamError: the lane's HTTP status and its error body's type, passed through.
  int upstream_http_status() const { return detail_ ? detail_->upstream_http_status : 0; }
  const std::string& upstream_type() const { return detail_ ? detail_->upstream_type : Empty(); }
  Status& WithUpstream(int http_status, std::string type) {
    Details().upstream_http_status = http_status;
    Details().upstream_type = std::move(type);
    return *this;
  }
  // For kUpstreamError: the lane's own error object (JSON text of `{"message",...}`), so
  // that a front can pass its details (code, n_prompt_tokens, n_ctx...) through unchanged.
  const std::string& upstream_error() const { return detail_ ? detail_->upstream_error : Empty(); }
  Status& WithUpstreamError(std::string error_json) {
    Details().upstream_error = std::move(error_json);
    return *this;
  }

  // The request field at fault (OpenAI's `param`), e.g. "messages[0].role"; may be empty.
  const std::string& param() const { return detail_ ? detail_->param : Empty(); }
  Status& WithParam(std::string param) {
    Details().param = std::move(param);
    return *this;
  }

  // Seconds a client should wait before retrying (a Retry-After header); 0: not said.
  int retry_after_seconds() const { return detail_ ? detail_->retry_after_seconds : 0; }
  Status& WithRetryAfter(int seconds) {
    Details().retry_after_seconds = seconds;
    return *this;
  }

  std::string ToString() const;

 private:
  struct Detail {
    Detail() = default;
    Detail(std::string m, std::string r) : message(std::move(m)), reason(std::move(r)) {}
    std::string message;
    std::string reason;
    int upstream_http_status = 0;
    std::string upstream_type;
    std::string upstream_error;
    std::string param;
    int retry_after_seconds = 0;
  };
  static const std::string& Empty();
  Detail& Details() {
    if (!detail_) detail_ = std::make_unique<Detail>();
    return *detail_;
  }

  StatusCode code_ = StatusCode::kOk;
  std::unique_ptr<Detail> detail_;
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
