#include "lanes/upstream_error.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

namespace lanewise::lanes {
namespace {

namespace json = boost::json;

struct ErrorFields {
  std::string message;
  std::string type;
  std::string object_json;  // the error object itself, when the body had one
};

ErrorFields ReadErrorFields(std::string_view body) {
  ErrorFields fields;
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (!ec && doc.is_object()) {
    const json::object& root = doc.get_object();
    const json::value* error = root.if_contains("error");
    const json::object* holder = &root;
    if (error != nullptr && error->is_object()) {
      holder = &error->get_object();
      fields.object_json = json::serialize(*holder);
    }
    if (error != nullptr && error->is_string()) fields.message = error->get_string();
    if (const auto* m = holder->if_contains("message"); m && m->is_string()) {
      fields.message = m->get_string();
    }
    if (const auto* t = holder->if_contains("type"); t && t->is_string()) {
      fields.type = t->get_string();
    }
  }
  if (fields.message.empty()) {
    fields.message.assign(body.substr(0, 512));
    if (fields.message.empty()) fields.message = "lane returned an empty error body";
  }
  return fields;
}

}  // namespace

core::Status UpstreamHttpError(int http_status, std::string_view body, std::string_view lane,
                               std::string_view retry_after) {
  ErrorFields fields = ReadErrorFields(body);
  core::Status status(core::StatusCode::kUpstreamError, fields.message,
                      "lane_error_" + std::to_string(http_status));
  status.WithUpstream(http_status, fields.type.empty() ? "upstream_error" : fields.type);
  status.WithUpstreamError(std::move(fields.object_json));
  if (int seconds = ParseRetryAfter(retry_after); seconds > 0) status.WithRetryAfter(seconds);
  (void)lane;
  return status;
}

core::Status UpstreamStreamError(std::string_view json_text, std::string_view lane) {
  ErrorFields fields = ReadErrorFields(json_text);
  core::Status status(core::StatusCode::kUpstreamError,
                      "lane '" + std::string(lane) + "' failed mid-stream: " + fields.message,
                      "lane_stream_error");
  status.WithUpstream(502, fields.type.empty() ? "upstream_error" : fields.type);
  return status;
}

bool CausedByRequest(const core::Status& status) {
  if (status.code() != core::StatusCode::kUpstreamError) return false;
  const int http = status.upstream_http_status();
  if (http >= 400 && http < 500) return http != 408 && http != 429;
  if (http != 500) return false;
  return status.upstream_type() == "invalid_request_error" ||
         status.message().starts_with("[json.exception.");
}

int ParseRetryAfter(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  int seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || seconds < 0) return 0;
  return std::min(seconds, 24 * 3600);
}

}  // namespace lanewise::lanes
