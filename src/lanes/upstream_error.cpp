#include "lanes/upstream_error.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace lanewise::lanes {
namespace {

namespace json = boost::json;

struct ErrorFields {
  std::string message;
  std::string type;
};

ErrorFields ReadErrorFields(std::string_view body) {
  ErrorFields fields;
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (!ec && doc.is_object()) {
    const json::object& root = doc.get_object();
    const json::value* error = root.if_contains("error");
    const json::object* holder = &root;
    if (error != nullptr && error->is_object()) holder = &error->get_object();
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

core::Status UpstreamHttpError(int http_status, std::string_view body, std::string_view lane) {
  ErrorFields fields = ReadErrorFields(body);
  core::Status status(core::StatusCode::kUpstreamError, fields.message,
                      "lane_error_" + std::to_string(http_status));
  status.WithUpstream(http_status, fields.type.empty() ? "upstream_error" : fields.type);
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

}  // namespace lanewise::lanes
