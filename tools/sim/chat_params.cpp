#include "tools/sim/chat_params.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tools/sim/text_gen.h"

namespace lanewise::sim {
namespace {

namespace json = boost::json;

// nlohmann::json's type names, which llama-server's messages use.
std::string_view TypeName(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "unknown";
}

core::Status TypeError(std::string_view field, std::string_view expected,
                       const json::value& value) {
  return core::InvalidArgument("Field '" + std::string(field) +
                               "': [json.exception.type_error.302] type must be " +
                               std::string(expected) + ", but is " + std::string(TypeName(value)));
}

// Reads an optional integer field; null counts as absent.
core::Status ReadOptionalInt(const json::object& body, std::string_view field,
                             std::optional<int>& out) {
  const json::value* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) return core::Status::Ok();
  if (!value->is_number()) return TypeError(field, "number", *value);
  out = static_cast<int>(value->to_number<double>());
  return core::Status::Ok();
}

core::Status ReadOptionalBool(const json::object& body, std::string_view field, bool& out) {
  const json::value* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) return core::Status::Ok();
  if (!value->is_bool()) return TypeError(field, "boolean", *value);
  out = value->get_bool();
  return core::Status::Ok();
}

std::string ContentText(const json::value& content) {
  if (content.is_string()) return std::string(content.get_string());
  std::string text;
  if (const auto* parts = content.if_array()) {
    for (const auto& part : *parts) {
      const auto* object = part.if_object();
      if (object == nullptr) continue;
      const auto* part_text = object->if_contains("text");
      if (part_text != nullptr && part_text->is_string()) text += part_text->get_string();
    }
  }
  return text;
}

core::Status ParseMessages(const json::object& body, ChatParams& params) {
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr) return core::InvalidArgument("'messages' is required");
  if (!messages->is_array()) return core::InvalidArgument("Expected 'messages' to be an array");
  params.messages_hash = HashBytes(json::serialize(*messages));
  int prompt_tokens = 3;
  for (const auto& message : messages->get_array()) {
    const auto* object = message.if_object();
    if (object == nullptr) continue;
    const json::value* content = object->if_contains("content");
    const std::string text = content != nullptr ? ContentText(*content) : std::string();
    prompt_tokens += 4 + static_cast<int>((text.size() + 3) / 4);
    const json::value* role = object->if_contains("role");
    if (role != nullptr && role->is_string() && role->get_string() == "user") {
      params.last_user_text = text;
    }
  }
  params.prompt_tokens = prompt_tokens;
  return core::Status::Ok();
}

core::Status ParseResponseFormat(const json::object& body, ChatParams& params) {
  const json::value* format = body.if_contains("response_format");
  if (format == nullptr || format->is_null()) return core::Status::Ok();
  const auto* object = format->if_object();
  const json::value* type = object != nullptr ? object->if_contains("type") : nullptr;
  const std::string type_name =
      type != nullptr && type->is_string() ? std::string(type->get_string()) : "";
  if (type_name == "text") return core::Status::Ok();
  if (type_name == "json_object") {
    params.response_format = ResponseFormat::kJsonObject;
    return core::Status::Ok();
  }
  if (type_name == "json_schema") {
    params.response_format = ResponseFormat::kJsonSchema;
    const json::value* schema = nullptr;
    if (const auto* wrapper = object->if_contains("json_schema"); wrapper && wrapper->is_object()) {
      schema = wrapper->get_object().if_contains("schema");
    }
    if (schema == nullptr) schema = object->if_contains("schema");
    if (schema != nullptr && schema->is_object()) params.schema = schema->get_object();
    return core::Status::Ok();
  }
  return core::InvalidArgument(
      "response_format type must be one of \"text\" or \"json_object\", but got: " + type_name);
}

core::Status ParseTools(const json::object& body, ChatParams& params) {
  if (const json::value* tools = body.if_contains("tools"); tools && tools->is_array()) {
    for (const auto& tool : tools->get_array()) {
      const auto* object = tool.if_object();
      const json::value* function = object != nullptr ? object->if_contains("function") : nullptr;
      if (function == nullptr || !function->is_object()) continue;
      ToolSpec spec;
      if (const auto* name = function->get_object().if_contains("name");
          name && name->is_string()) {
        spec.name = name->get_string();
      }
      if (const auto* parameters = function->get_object().if_contains("parameters");
          parameters && parameters->is_object()) {
        spec.parameters = parameters->get_object();
      }
      params.tools.push_back(std::move(spec));
    }
  }
  const json::value* choice = body.if_contains("tool_choice");
  if (choice == nullptr || choice->is_null()) return core::Status::Ok();
  if (choice->is_string()) {
    const std::string_view name = choice->get_string();
    if (name == "auto")
      params.tool_choice = ToolChoice::kAuto;
    else if (name == "none")
      params.tool_choice = ToolChoice::kNone;
    else if (name == "required")
      params.tool_choice = ToolChoice::kRequired;
    else
      return core::InvalidArgument("Invalid tool_choice: " + std::string(name));
    return core::Status::Ok();
  }
  if (const auto* object = choice->if_object()) {
    const json::value* function = object->if_contains("function");
    const json::value* name = function != nullptr && function->is_object()
                                  ? function->get_object().if_contains("name")
                                  : nullptr;
    if (name != nullptr && name->is_string()) {
      params.tool_choice = ToolChoice::kNamed;
      params.tool_choice_name = name->get_string();
      return core::Status::Ok();
    }
  }
  return core::InvalidArgument("Invalid tool_choice: " + json::serialize(*choice));
}

core::Status ParseStop(const json::object& body, ChatParams& params) {
  const json::value* stop = body.if_contains("stop");
  if (stop == nullptr || stop->is_null()) return core::Status::Ok();
  if (stop->is_string()) {
    if (!stop->get_string().empty()) params.stop.emplace_back(stop->get_string());
    return core::Status::Ok();
  }
  if (!stop->is_array()) return TypeError("stop", "array", *stop);
  for (const auto& item : stop->get_array()) {
    if (!item.is_string()) return TypeError("stop", "string", item);
    if (!item.get_string().empty()) params.stop.emplace_back(item.get_string());
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<ChatParams> ParseChatRequest(std::string_view body_text) {
  if (body_text.empty()) {
    return core::Status(core::StatusCode::kInternal,
                        "[json.exception.parse_error.101] parse error at line 1, column 1: "
                        "attempting to parse an empty input; check that your input string or "
                        "stream contains the expected JSON",
                        "invalid_json");
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(body_text, ec);
  if (ec) {
    return core::Status(core::StatusCode::kInternal,
                        "[json.exception.parse_error.101] parse error: syntax error while "
                        "parsing value - " +
                            ec.message(),
                        "invalid_json");
  }
  const auto* body = parsed.if_object();
  if (body == nullptr) return core::InvalidArgument("'messages' is required");

  ChatParams params;
  if (const auto* model = body->if_contains("model"); model && model->is_string()) {
    params.model = model->get_string();
  }
  for (const char* field :
       {"temperature", "top_p", "seed", "presence_penalty", "frequency_penalty"}) {
    const json::value* value = body->if_contains(field);
    if (value != nullptr && !value->is_null() && !value->is_number()) {
      return TypeError(field, "number", *value);
    }
  }
  core::Status status = ParseMessages(*body, params);
  if (status.ok()) status = ReadOptionalBool(*body, "stream", params.stream);
  if (status.ok()) status = ReadOptionalBool(*body, "logprobs", params.logprobs);
  std::optional<int> top_logprobs, n, max_tokens, max_completion_tokens, n_predict;
  if (status.ok()) status = ReadOptionalInt(*body, "top_logprobs", top_logprobs);
  if (status.ok()) status = ReadOptionalInt(*body, "n", n);
  if (status.ok()) status = ReadOptionalInt(*body, "max_tokens", max_tokens);
  if (status.ok()) status = ReadOptionalInt(*body, "max_completion_tokens", max_completion_tokens);
  if (status.ok()) status = ReadOptionalInt(*body, "n_predict", n_predict);
  if (status.ok()) status = ParseResponseFormat(*body, params);
  if (status.ok()) status = ParseTools(*body, params);
  if (status.ok()) status = ParseStop(*body, params);
  if (!status.ok()) return status;

  params.top_logprobs = std::clamp(top_logprobs.value_or(0), 0, 100);
  params.n = std::clamp(n.value_or(1), 1, 16);
  for (const auto& limit : {max_tokens, max_completion_tokens, n_predict}) {
    if (limit && *limit >= 0) params.max_tokens = *limit;  // n_predict -1: no limit
  }
  if (const auto* options = body->if_contains("stream_options"); options && options->is_object()) {
    const auto* include = options->get_object().if_contains("include_usage");
    params.include_usage = include != nullptr && include->is_bool() && include->get_bool();
  }
  if (const auto* sim = body->if_contains("sim"); sim && !sim->is_null()) {
    if (!sim->is_object()) {
      return core::InvalidArgument("sim: expected an object", "invalid_sim_settings");
    }
    params.sim = sim->get_object();
  }
  return params;
}

}  // namespace lanewise::sim
