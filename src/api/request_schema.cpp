#include "api/request_schema.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <initializer_list>
#include <span>
#include <string_view>

namespace lanewise::api {
namespace {

namespace json = boost::json;

// Where a value sits, built as a chain on the stack: the path string ("messages[2].role")
// is only made for an error or a dropped field.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // empty for an array element
  std::size_t index = 0;

  std::string str() const {
    if (parent == nullptr) return std::string(key);  // the body itself: ""
    std::string out = parent->str();
    if (!key.empty()) {
      if (!out.empty()) out += '.';
      out += key;
    } else {
      out += "[" + std::to_string(index) + "]";
    }
    return out;
  }
};

using Dropped = std::vector<std::string>;
using Check = core::Status (*)(json::value&, const Path&, Dropped&);

struct Field {
  std::string_view name;
  Check check;
};

core::Status Refuse(const Path& path, std::string_view what) {
  return core::InvalidArgument("'" + path.str() + "' " + std::string(what), "invalid_request");
}

// Values that cannot be written back exactly as the client wrote them.
core::Status CheckNumber(const json::value& v, const Path& path) {
  if (!v.is_double()) return core::Status::Ok();
  const double d = v.get_double();
  if (!std::isfinite(d)) {
    return Refuse(path, "is a number too large for a double; send a finite number");
  }
  constexpr double kTwoTo64 = 18446744073709551616.0;
  if (std::fabs(d) >= kTwoTo64 && std::trunc(d) == d) {
    return Refuse(path,
                  "is an integer beyond 64 bits, which would reach the model rounded; send it "
                  "as a string");
  }
  return core::Status::Ok();
}

// Anything (metadata, JSON schemas, logit_bias): every string, key and number in it is
// inspected; its numbers must survive the round trip.
core::Status FreeForm(json::value& v, const Path& path, Dropped& dropped) {
  switch (v.kind()) {
    case json::kind::object:
      for (auto& member : v.get_object()) {
        const Path child{&path, member.key()};
        if (auto s = FreeForm(member.value(), child, dropped); !s.ok()) return s;
      }
      return core::Status::Ok();
    case json::kind::array: {
      json::array& a = v.get_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (auto s = FreeForm(a[i], Path{&path, {}, i}, dropped); !s.ok()) return s;
      }
      return core::Status::Ok();
    }
    default:
      return CheckNumber(v, path);
  }
}

core::Status FreeFormObject(json::value& v, const Path& path, Dropped& dropped) {
  if (!v.is_object() && !v.is_null()) return Refuse(path, "must be an object");
  return FreeForm(v, path, dropped);
}

core::Status Text(json::value& v, const Path& path, Dropped&) {
  if (v.is_string() || v.is_null()) return core::Status::Ok();
  return Refuse(path, "must be a string");
}

core::Status Boolean(json::value& v, const Path& path, Dropped&) {
  if (v.is_bool() || v.is_null()) return core::Status::Ok();
  return Refuse(path, "must be a boolean");
}

core::Status Number(json::value& v, const Path& path, Dropped&) {
  if (v.is_null()) return core::Status::Ok();
  if (!v.is_number()) return Refuse(path, "must be a number");
  return CheckNumber(v, path);
}

core::Status OneOf(const json::value& v, const Path& path,
                   std::initializer_list<std::string_view> words) {
  if (v.is_null()) return core::Status::Ok();
  if (v.is_string()) {
    const std::string_view s = v.get_string();
    if (std::find(words.begin(), words.end(), s) != words.end()) return core::Status::Ok();
  }
  std::string list;
  for (std::string_view w : words) {
    if (!list.empty()) list += ", ";
    list += w;
  }
  return Refuse(path, "must be one of: " + list);
}

// The members of `v` checked by `fields`; members nobody listed are removed.
core::Status Members(json::value& v, const Path& path, Dropped& dropped,
                     std::span<const Field> fields, bool keep_unknown = false) {
  if (v.is_null()) return core::Status::Ok();
  if (!v.is_object()) return Refuse(path, "must be an object");
  json::object& object = v.get_object();
  std::vector<std::string> unknown;
  for (auto& member : object) {
    const std::string_view key = member.key();
    const auto field =
        std::find_if(fields.begin(), fields.end(), [key](const Field& f) { return f.name == key; });
    const Path child{&path, key};
    if (field == fields.end() && keep_unknown) {
      if (auto s = FreeForm(member.value(), child, dropped); !s.ok()) return s;
      continue;
    }
    if (field == fields.end()) {
      dropped.push_back(child.str());
      unknown.emplace_back(key);
      continue;
    }
    if (auto s = field->check(member.value(), child, dropped); !s.ok()) return s;
  }
  for (const std::string& key : unknown) object.erase(key);
  return core::Status::Ok();
}

template <Check each>
core::Status ArrayOf(json::value& v, const Path& path, Dropped& dropped) {
  if (v.is_null()) return core::Status::Ok();
  if (!v.is_array()) return Refuse(path, "must be an array");
  json::array& a = v.get_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (auto s = each(a[i], Path{&path, {}, i}, dropped); !s.ok()) return s;
  }
  return core::Status::Ok();
}

template <const auto& fields>
core::Status Object(json::value& v, const Path& path, Dropped& dropped) {
  return Members(v, path, dropped, fields);
}

// --- content parts --------------------------------------------------------------------

core::Status ImageDetail(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"auto", "low", "high"});
}
core::Status AudioFormat(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"wav", "mp3", "flac", "opus", "pcm16", "aac"});
}
constexpr Field kImageUrlFields[] = {{"url", Text}, {"detail", ImageDetail}};
constexpr Field kInputAudioFields[] = {{"data", Text}, {"format", AudioFormat}};
constexpr Field kFileFields[] = {{"file_data", Text}, {"file_id", Text}, {"filename", Text}};

core::Status PartType(json::value& v, const Path& path, Dropped&) {
  if (v.is_null()) return Refuse(path, "is required");
  return OneOf(v, path, {"text", "image_url", "input_audio", "file", "refusal"});
}
constexpr Field kPartFields[] = {{"type", PartType},
                                 {"text", Text},
                                 {"image_url", Object<kImageUrlFields>},
                                 {"input_audio", Object<kInputAudioFields>},
                                 {"file", Object<kFileFields>},
                                 {"refusal", Text}};

core::Status Part(json::value& v, const Path& path, Dropped& dropped) {
  if (!v.is_object()) return Refuse(path, "must be a content part object");
  if (!v.get_object().contains("type")) return Refuse(Path{&path, "type"}, "is required");
  return Members(v, path, dropped, kPartFields);
}

core::Status Content(json::value& v, const Path& path, Dropped& dropped) {
  if (v.is_string() || v.is_null()) return core::Status::Ok();
  if (!v.is_array()) return Refuse(path, "must be a string or an array of content parts");
  return ArrayOf<Part>(v, path, dropped);
}

// --- tools ----------------------------------------------------------------------------

core::Status FunctionType(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"function"});
}
constexpr Field kCalledFunctionFields[] = {{"name", Text}, {"arguments", Text}};
constexpr Field kToolCallFields[] = {{"id", Text},
                                     {"type", FunctionType},
                                     {"index", Number},
                                     {"function", Object<kCalledFunctionFields>}};
constexpr Field kFunctionFields[] = {
    {"name", Text}, {"description", Text}, {"parameters", FreeFormObject}, {"strict", Boolean}};
constexpr Field kToolFields[] = {{"type", FunctionType}, {"function", Object<kFunctionFields>}};
constexpr Field kNamedFunctionFields[] = {{"name", Text}};
constexpr Field kNamedToolFields[] = {{"type", FunctionType},
                                      {"function", Object<kNamedFunctionFields>}};

core::Status ToolChoice(json::value& v, const Path& path, Dropped& dropped) {
  if (v.is_object()) return Members(v, path, dropped, kNamedToolFields);
  return OneOf(v, path, {"none", "auto", "required"});
}

core::Status FunctionCallChoice(json::value& v, const Path& path, Dropped& dropped) {
  if (v.is_object()) return Members(v, path, dropped, kNamedFunctionFields);
  return OneOf(v, path, {"none", "auto"});
}

// --- messages -------------------------------------------------------------------------

core::Status Role(json::value& v, const Path& path, Dropped&) {
  if (!v.is_string()) return Refuse(path, "is required and must be a string");
  return OneOf(v, path, {"system", "developer", "user", "assistant", "tool", "function"});
}
constexpr Field kMessageAudioFields[] = {{"id", Text}};
constexpr Field kMessageFields[] = {{"role", Role},
                                    {"content", Content},
                                    {"name", Text},
                                    {"tool_calls", ArrayOf<Object<kToolCallFields>>},
                                    {"tool_call_id", Text},
                                    {"function_call", Object<kCalledFunctionFields>},
                                    {"refusal", Text},
                                    {"reasoning_content", Text},
                                    {"audio", Object<kMessageAudioFields>}};

core::Status Message(json::value& v, const Path& path, Dropped& dropped) {
  if (!v.is_object()) return Refuse(path, "must be an object");
  if (!v.get_object().contains("role")) {
    return Refuse(Path{&path, "role"}, "is required and must be a string");
  }
  return Members(v, path, dropped, kMessageFields);
}

// --- the body -------------------------------------------------------------------------

core::Status StopSequences(json::value& v, const Path& path, Dropped& dropped) {
  if (v.is_string() || v.is_null()) return core::Status::Ok();
  if (!v.is_array()) return Refuse(path, "must be a string or an array of strings");
  return ArrayOf<Text>(v, path, dropped);
}
core::Status ResponseFormatType(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"text", "json_object", "json_schema"});
}
constexpr Field kJsonSchemaFields[] = {
    {"name", Text}, {"description", Text}, {"schema", FreeFormObject}, {"strict", Boolean}};
constexpr Field kResponseFormatFields[] = {{"type", ResponseFormatType},
                                           {"json_schema", Object<kJsonSchemaFields>},
                                           {"schema", FreeFormObject}};
constexpr Field kStreamOptionsFields[] = {{"include_usage", Boolean}};
core::Status ServiceTier(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"auto", "default", "flex", "priority", "scale"});
}
core::Status Effort(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"minimal", "low", "medium", "high"});
}
core::Status Verbosity(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"low", "medium", "high"});
}
core::Status Modality(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"text", "audio"});
}
constexpr Field kAudioFields[] = {{"voice", Text}, {"format", AudioFormat}};
core::Status PredictionType(json::value& v, const Path& path, Dropped&) {
  return OneOf(v, path, {"content"});
}
constexpr Field kPredictionFields[] = {{"type", PredictionType}, {"content", Content}};

core::Status LogitBias(json::value& v, const Path& path, Dropped& dropped) {
  if (!v.is_object() && !v.is_array() && !v.is_null()) {
    return Refuse(path, "must be an object of token ids to numbers");
  }
  return FreeForm(v, path, dropped);
}

// OpenAI's chat-completions fields, and the sampling fields llama.cpp's server and vLLM
// add (top_k, min_p, repeat_penalty, typical_p, n_probs, grammar, json_schema,
// cache_prompt). Sorted by nothing: a request has a handful of fields.
constexpr Field kBodyFields[] = {
    {"model", Text},
    {"messages", ArrayOf<Message>},
    {"stream", Boolean},
    {"stream_options", Object<kStreamOptionsFields>},
    {"max_tokens", Number},
    {"max_completion_tokens", Number},
    {"temperature", Number},
    {"top_p", Number},
    {"n", Number},
    {"stop", StopSequences},
    {"presence_penalty", Number},
    {"frequency_penalty", Number},
    {"seed", Number},
    {"logprobs", Boolean},
    {"top_logprobs", Number},
    {"logit_bias", LogitBias},
    {"user", Text},
    {"tools", ArrayOf<Object<kToolFields>>},
    {"tool_choice", ToolChoice},
    {"parallel_tool_calls", Boolean},
    {"functions", ArrayOf<Object<kFunctionFields>>},
    {"function_call", FunctionCallChoice},
    {"response_format", Object<kResponseFormatFields>},
    {"metadata", FreeFormObject},
    {"store", Boolean},
    {"service_tier", ServiceTier},
    {"reasoning_effort", Effort},
    {"verbosity", Verbosity},
    {"modalities", ArrayOf<Modality>},
    {"audio", Object<kAudioFields>},
    {"prediction", Object<kPredictionFields>},
    {"top_k", Number},
    {"min_p", Number},
    {"repeat_penalty", Number},
    {"typical_p", Number},
    {"n_probs", Number},
    {"grammar", Text},
    {"json_schema", FreeFormObject},
    {"cache_prompt", Boolean},
};

}  // namespace

core::Status CanonicalizeChatBody(json::object& body, std::vector<std::string>& dropped) {
  json::value root(std::move(body));
  const Path top{};
  // Unknown top-level fields are provider extensions (llama.cpp's, vLLM's, a simulator's):
  // kept and inspected whole (keys, strings, numbers). Unknown fields inside known objects
  // are dropped.
  core::Status status = Members(root, top, dropped, kBodyFields, /*keep_unknown=*/true);
  body = std::move(root.get_object());
  return status;
}

}  // namespace lanewise::api
