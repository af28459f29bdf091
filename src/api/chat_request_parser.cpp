#include "api/chat_request_parser.h"

#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>
#include "api/request_schema.h"

namespace lanewise::api {
namespace {

namespace json = boost::json;

core::Status FieldError(std::string_view field, std::string_view what) {
  return core::InvalidArgument("'" + std::string(field) + "' " + std::string(what),
                               "invalid_request");
}

core::Status CheckMessages(const json::object& body) {
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr) return FieldError("messages", "is required");
  if (!messages->is_array()) return FieldError("messages", "must be an array of message objects");
  if (messages->get_array().empty()) return FieldError("messages", "must not be empty");
  std::size_t index = 0;
  for (const json::value& message : messages->get_array()) {
    std::string where = "messages[" + std::to_string(index++) + "]";
    if (!message.is_object()) return FieldError(where, "must be an object");
    const json::value* role = message.get_object().if_contains("role");
    if (role == nullptr || !role->is_string()) {
      return FieldError(where + ".role", "is required and must be a string");
    }
  }
  return core::Status::Ok();
}

core::LatencyTier ParseLatency(std::string_view value, bool& ok) {
  ok = true;
  if (value.empty()) return core::LatencyTier::kUnspecified;
  if (value == "interactive") return core::LatencyTier::kInteractive;
  if (value == "background") return core::LatencyTier::kBackground;
  if (value == "batch") return core::LatencyTier::kBatch;
  ok = false;
  return core::LatencyTier::kUnspecified;
}

}  // namespace

std::string DescribePosition(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

core::Result<json::value> ParseJsonBody(std::string_view body) {
  if (body.empty())
    return core::InvalidArgument("request body is empty; expected a JSON object", "invalid_json");
  // One parser per thread, reset for each body: its working stack is allocated once.
  thread_local json::stream_parser parser;
  parser.reset();
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(body.data(), body.size(), ec);
  if (!ec && consumed < body.size()) {
    ec = json::make_error_code(json::error::extra_data);
  }
  if (!ec) parser.finish(ec);
  if (ec) {
    std::size_t at = consumed;
    return core::InvalidArgument(
        "request body is not valid JSON: " + ec.message() + " at " + DescribePosition(body, at),
        "invalid_json");
  }
  return parser.release();
}

core::Result<core::ChatRequest> ParseChatRequest(std::string_view body, const RequestHints& hints) {
  auto parsed = ParseJsonBody(body);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) {
    return core::InvalidArgument("request body must be a JSON object", "invalid_request");
  }
  return ChatRequestFromObject(std::move(parsed->get_object()), body.size(), hints);
}

core::Result<core::ChatRequest> ChatRequestFromObject(json::object body, std::size_t wire_bytes,
                                                      const RequestHints& hints) {
  core::ChatRequest request;
  request.wire_bytes = wire_bytes;
  request.body = std::move(body);
  const json::object& obj = request.body;

  const json::value* model = obj.if_contains("model");
  if (model == nullptr) return FieldError("model", "is required");
  if (!model->is_string() || model->get_string().empty()) {
    return FieldError("model", "must be a non-empty string");
  }
  request.model_alias = model->get_string();

  if (auto status = CheckMessages(obj); !status.ok()) return status;
  if (auto status = CanonicalizeChatBody(request.body, request.dropped_fields); !status.ok()) {
    return status;
  }

  if (const json::value* stream = obj.if_contains("stream"); stream && !stream->is_null()) {
    if (!stream->is_bool()) return FieldError("stream", "must be a boolean");
    request.stream = stream->get_bool();
  }
  if (const json::value* options = obj.if_contains("stream_options");
      options && !options->is_null()) {
    if (!options->is_object()) return FieldError("stream_options", "must be an object");
    if (const json::value* usage = options->get_object().if_contains("include_usage")) {
      if (!usage->is_bool()) return FieldError("stream_options.include_usage", "must be a boolean");
      request.include_usage = usage->get_bool();
    }
  }

  // Hints: headers first, then `metadata` fields of the same name.
  const json::object* metadata = nullptr;
  if (const json::value* m = obj.if_contains("metadata"); m && m->is_object()) {
    metadata = &m->get_object();
  }
  auto hint = [metadata](std::string_view header, const char* key) -> std::string {
    if (!header.empty()) return std::string(header);
    if (metadata != nullptr) {
      if (const json::value* v = metadata->if_contains(key); v && v->is_string()) {
        return std::string(v->get_string());
      }
    }
    return {};
  };
  request.declared_data_class = hint(hints.data_class, "lanewise_data_class");
  request.session_id = hint(hints.session, "lanewise_session");
  request.tenant = hint(hints.tenant, "lanewise_tenant");
  bool latency_ok = true;
  std::string latency = hint(hints.latency, "lanewise_latency");
  request.latency_tier = ParseLatency(latency, latency_ok);
  if (!latency_ok) {
    return core::InvalidArgument(
        "x-lanewise-latency must be interactive, background or batch, "
        "got '" +
            latency + "'",
        "invalid_latency_tier");
  }
  return request;
}

}  // namespace lanewise::api
