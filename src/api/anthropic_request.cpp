#include "api/anthropic_request.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace lanewise::api {
namespace {

namespace json = boost::json;

core::Status Invalid(const std::string& where, const std::string& what) {
  return core::InvalidArgument(where + ": " + what, "invalid_request").WithParam(where);
}

const json::value* Field(const json::object& o, std::string_view key) {
  return o.if_contains(key);
}

std::string TypeOf(const json::object& block) {
  const json::value* t = block.if_contains("type");
  return t != nullptr && t->is_string() ? std::string(t->get_string()) : std::string();
}

// Text of a string or of an array of text blocks (tool results, system).
core::Result<std::string> TextOf(const json::value& content, const std::string& where) {
  if (content.is_string()) return std::string(content.get_string());
  if (!content.is_array()) return Invalid(where, "must be a string or an array of blocks");
  std::string text;
  for (const auto& item : content.get_array()) {
    if (!item.is_object()) return Invalid(where, "blocks must be objects");
    const auto& block = item.get_object();
    if (TypeOf(block) != "text") continue;  // images inside tool results are not carried
    const json::value* t = block.if_contains("text");
    if (t == nullptr || !t->is_string()) return Invalid(where, "a text block needs `text`");
    if (!text.empty()) text += "\n";
    text += t->get_string();
  }
  return text;
}

core::Result<json::object> ImagePart(const json::object& block, const std::string& where) {
  const json::value* source = block.if_contains("source");
  if (source == nullptr || !source->is_object()) return Invalid(where, "an image needs `source`");
  const auto& src = source->get_object();
  std::string url;
  const std::string kind = TypeOf(src);
  if (kind == "base64") {
    const json::value* media = src.if_contains("media_type");
    const json::value* data = src.if_contains("data");
    if (media == nullptr || !media->is_string() || data == nullptr || !data->is_string()) {
      return Invalid(where, "a base64 image needs `media_type` and `data`");
    }
    url = "data:" + std::string(media->get_string()) + ";base64," + std::string(data->get_string());
  } else if (kind == "url") {
    const json::value* u = src.if_contains("url");
    if (u == nullptr || !u->is_string()) return Invalid(where, "a url image needs `url`");
    url = u->get_string();
  } else {
    return Invalid(where, "image source type must be base64 or url");
  }
  json::object image_url;
  image_url["url"] = url;
  json::object part;
  part["type"] = "image_url";
  part["image_url"] = std::move(image_url);
  return part;
}

// One Anthropic message -> one or more OpenAI messages appended to `out`.
core::Status TranslateMessage(const json::object& message, const std::string& where,
                              json::array& out) {
  const json::value* role_value = message.if_contains("role");
  if (role_value == nullptr || !role_value->is_string()) {
    return Invalid(where + ".role", "is required");
  }
  const std::string role(role_value->get_string());
  if (role != "user" && role != "assistant") {
    return Invalid(where + ".role", "must be \"user\" or \"assistant\", got \"" + role + "\"");
  }
  const json::value* content = message.if_contains("content");
  if (content == nullptr) return Invalid(where + ".content", "is required");
  if (content->is_string()) {
    json::object m;
    m["role"] = role;
    m["content"] = content->get_string();
    out.push_back(std::move(m));
    return core::Status::Ok();
  }
  if (!content->is_array()) return Invalid(where + ".content", "must be a string or an array");

  json::array parts;       // user text and images
  std::string text;        // assistant text
  json::array tool_calls;  // assistant tool_use
  std::size_t index = 0;
  for (const auto& item : content->get_array()) {
    const std::string at = where + ".content[" + std::to_string(index++) + "]";
    if (!item.is_object()) return Invalid(at, "must be an object");
    const auto& block = item.get_object();
    const std::string type = TypeOf(block);
    if (type == "text") {
      const json::value* t = block.if_contains("text");
      if (t == nullptr || !t->is_string()) return Invalid(at + ".text", "is required");
      if (role == "assistant") {
        text += t->get_string();
      } else {
        json::object part;
        part["type"] = "text";
        part["text"] = t->get_string();
        parts.push_back(std::move(part));
      }
    } else if (type == "image" && role == "user") {
      auto part = ImagePart(block, at);
      if (!part.ok()) return part.status();
      parts.push_back(std::move(part.value()));
    } else if (type == "tool_use" && role == "assistant") {
      const json::value* id = block.if_contains("id");
      const json::value* name = block.if_contains("name");
      if (id == nullptr || !id->is_string() || name == nullptr || !name->is_string()) {
        return Invalid(at, "a tool_use block needs `id` and `name`");
      }
      const json::value* input = block.if_contains("input");
      json::object function;
      function["name"] = name->get_string();
      function["arguments"] = input != nullptr ? json::serialize(*input) : std::string("{}");
      json::object call;
      call["id"] = id->get_string();
      call["type"] = "function";
      call["function"] = std::move(function);
      tool_calls.push_back(std::move(call));
    } else if (type == "tool_result" && role == "user") {
      const json::value* id = block.if_contains("tool_use_id");
      if (id == nullptr || !id->is_string())
        return Invalid(at, "a tool_result needs `tool_use_id`");
      std::string result;
      if (const json::value* c = block.if_contains("content")) {
        auto t = TextOf(*c, at + ".content");
        if (!t.ok()) return t.status();
        result = std::move(t.value());
      }
      if (const json::value* e = block.if_contains("is_error");
          e && e->is_bool() && e->get_bool()) {
        result = "Error: " + result;
      }
      // Tool results answer the previous assistant turn: they come first.
      json::object m;
      m["role"] = "tool";
      m["tool_call_id"] = id->get_string();
      m["content"] = result;
      out.push_back(std::move(m));
    } else if (type == "thinking" || type == "redacted_thinking") {
      continue;  // the model's own scratch work is not sent to another model
    } else {
      return Invalid(at + ".type", "\"" + type + "\" is not supported in a " + role + " message");
    }
  }
  if (role == "assistant") {
    json::object m;
    m["role"] = "assistant";
    m["content"] = text.empty() && !tool_calls.empty() ? json::value(nullptr) : json::value(text);
    if (!tool_calls.empty()) m["tool_calls"] = std::move(tool_calls);
    out.push_back(std::move(m));
  } else if (!parts.empty()) {
    json::object m;
    m["role"] = "user";
    m["content"] = std::move(parts);
    out.push_back(std::move(m));
  }
  return core::Status::Ok();
}

// Anthropic tool_choice in the form llama.cpp's server accepts. It reads tool_choice as a
// string only ("auto", "none", "required"); OpenAI's object form
// {"type":"function","function":{"name":...}} is silently taken as "auto". So a named tool
// becomes "required" with `tools` cut down to that tool, which every OpenAI-compatible
// server understands. disable_parallel_tool_use maps to parallel_tool_calls: false.
struct ToolChoice {
  json::value choice;
  std::string only_tool;  // type "tool": the one tool the model must call
  bool disable_parallel = false;
};

core::Result<ToolChoice> TranslateToolChoice(const json::value& choice) {
  if (!choice.is_object()) return Invalid("tool_choice", "must be an object");
  const json::object& object = choice.get_object();
  ToolChoice out;
  if (const json::value* d = object.if_contains("disable_parallel_tool_use"); d && !d->is_null()) {
    if (!d->is_bool()) return Invalid("tool_choice.disable_parallel_tool_use", "must be a boolean");
    out.disable_parallel = d->get_bool();
  }
  const std::string type = TypeOf(object);
  if (type == "auto") {
    out.choice = "auto";
  } else if (type == "any") {
    out.choice = "required";
  } else if (type == "none") {
    out.choice = "none";
  } else if (type == "tool") {
    const json::value* name = object.if_contains("name");
    if (name == nullptr || !name->is_string()) return Invalid("tool_choice.name", "is required");
    out.choice = "required";
    out.only_tool = name->get_string();
  } else {
    return Invalid("tool_choice.type", "must be auto, any, tool or none");
  }
  return out;
}

// Keeps only the tool named `name` in the OpenAI-shaped `tools`; false when none has it.
bool KeepOnlyTool(json::object& out, const std::string& name) {
  json::value* tools = out.if_contains("tools");
  if (tools == nullptr || !tools->is_array()) return false;
  json::array kept;
  for (const auto& tool : tools->get_array()) {
    const json::value* function = tool.get_object().if_contains("function");
    const json::value* n = function->get_object().if_contains("name");
    if (n != nullptr && n->is_string() && n->get_string() == name) kept.push_back(tool);
  }
  if (kept.empty()) return false;
  *tools = std::move(kept);
  return true;
}

}  // namespace

core::Result<core::ChatRequest> ParseAnthropicRequest(std::string_view body,
                                                      const RequestHints& hints) {
  auto parsed = ParseJsonBody(body);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) {
    return core::InvalidArgument("request body must be a JSON object", "invalid_request");
  }
  const json::object& in = parsed->get_object();
  json::object out;

  const json::value* model = Field(in, "model");
  if (model == nullptr || !model->is_string() || model->get_string().empty()) {
    return Invalid("model", "is required and must be a non-empty string");
  }
  out["model"] = model->get_string();
  const json::value* max_tokens = Field(in, "max_tokens");
  if (max_tokens == nullptr || !max_tokens->is_int64() || max_tokens->get_int64() < 1) {
    return Invalid("max_tokens", "is required and must be a positive integer");
  }
  out["max_tokens"] = max_tokens->get_int64();

  json::array messages;
  if (const json::value* system = Field(in, "system"); system && !system->is_null()) {
    auto text = TextOf(*system, "system");
    if (!text.ok()) return text.status();
    json::object m;
    m["role"] = "system";
    m["content"] = std::move(text.value());
    messages.push_back(std::move(m));
  }
  const json::value* in_messages = Field(in, "messages");
  if (in_messages == nullptr || !in_messages->is_array() || in_messages->get_array().empty()) {
    return Invalid("messages", "is required and must be a non-empty array");
  }
  std::size_t index = 0;
  for (const auto& m : in_messages->get_array()) {
    const std::string where = "messages[" + std::to_string(index++) + "]";
    if (!m.is_object()) return Invalid(where, "must be an object");
    if (auto s = TranslateMessage(m.get_object(), where, messages); !s.ok()) return s;
  }
  out["messages"] = std::move(messages);

  if (const json::value* tools = Field(in, "tools"); tools && !tools->is_null()) {
    if (!tools->is_array()) return Invalid("tools", "must be an array");
    json::array functions;
    for (const auto& t : tools->get_array()) {
      if (!t.is_object()) return Invalid("tools", "each tool must be an object");
      const auto& tool = t.get_object();
      const json::value* name = tool.if_contains("name");
      if (name == nullptr || !name->is_string()) return Invalid("tools", "each tool needs `name`");
      json::object function;
      function["name"] = name->get_string();
      if (const json::value* d = tool.if_contains("description")) function["description"] = *d;
      const json::value* schema = tool.if_contains("input_schema");
      function["parameters"] = schema != nullptr ? *schema : json::value(json::object());
      json::object wrapped;
      wrapped["type"] = "function";
      wrapped["function"] = std::move(function);
      functions.push_back(std::move(wrapped));
    }
    out["tools"] = std::move(functions);
  }
  if (const json::value* choice = Field(in, "tool_choice"); choice && !choice->is_null()) {
    auto translated = TranslateToolChoice(*choice);
    if (!translated.ok()) return translated.status();
    if (!translated->only_tool.empty() && !KeepOnlyTool(out, translated->only_tool)) {
      return Invalid("tool_choice.name",
                     "\"" + translated->only_tool + "\" is not one of the request's tools");
    }
    out["tool_choice"] = std::move(translated->choice);
    if (translated->disable_parallel) out["parallel_tool_calls"] = false;
  }
  for (const char* key : {"temperature", "top_p", "top_k"}) {
    if (const json::value* v = Field(in, key); v && !v->is_null()) out[key] = *v;
  }
  std::vector<std::string> stop_sequences;
  if (const json::value* stop = Field(in, "stop_sequences"); stop && !stop->is_null()) {
    if (!stop->is_array()) return Invalid("stop_sequences", "must be an array of strings");
    for (const auto& item : stop->get_array()) {
      if (!item.is_string()) return Invalid("stop_sequences", "must be an array of strings");
      stop_sequences.emplace_back(item.get_string());
    }
  }
  if (const json::value* stream = Field(in, "stream"); stream && !stream->is_null()) {
    if (!stream->is_bool()) return Invalid("stream", "must be a boolean");
    out["stream"] = stream->get_bool();
    if (stream->get_bool()) {
      json::object options;
      options["include_usage"] = true;
      out["stream_options"] = std::move(options);
    }
  }
  auto request = ChatRequestFromObject(std::move(out), body.size(), hints);
  if (request.ok()) request->stop_sequences = std::move(stop_sequences);
  return request;
}

}  // namespace lanewise::api
