#include "api/anthropic_response.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "api/anthropic_errors.h"

namespace lanewise::api {
namespace {

namespace json = boost::json;

std::string StopReason(const json::value* finish) {
  if (finish == nullptr || !finish->is_string()) return "end_turn";
  const std::string_view f = finish->get_string();
  if (f == "length") return "max_tokens";
  if (f == "tool_calls" || f == "function_call") return "tool_use";
  if (f == "content_filter") return "refusal";
  return "end_turn";
}

std::string MessageId(const json::object& root) {
  const json::value* id = root.if_contains("id");
  std::string raw = id != nullptr && id->is_string() ? std::string(id->get_string()) : "lanewise";
  if (raw.starts_with("chatcmpl-")) raw = raw.substr(9);
  return "msg_" + raw;
}

std::string StringField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t IntField(const json::object* o, std::string_view key) {
  if (o == nullptr) return 0;
  const json::value* v = o->if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

json::value ParseArguments(std::string_view arguments) {
  boost::system::error_code ec;
  json::value input = json::parse(arguments, ec);
  if (ec || !input.is_object()) return json::object();
  return input;
}

std::string Event(std::string_view type, const json::object& data) {
  return "event: " + std::string(type) + "\ndata: " + json::serialize(data) + "\n\n";
}

json::object Typed(std::string_view type) {
  json::object o;
  o["type"] = type;
  return o;
}

}  // namespace

core::Result<std::string> AnthropicMessageFromCompletion(
    std::string_view completion, const std::vector<std::string>& stop_sequences) {
  boost::system::error_code ec;
  json::value doc = json::parse(completion, ec);
  if (ec || !doc.is_object()) {
    return core::Status(core::StatusCode::kUpstreamProtocol,
                        "the lane's answer is not a chat completion", "upstream_protocol");
  }
  const json::object& root = doc.get_object();
  json::array content;
  const json::value* finish = nullptr;
  std::optional<std::string> stop_hit;
  if (const json::value* choices = root.if_contains("choices");
      choices && choices->is_array() && !choices->get_array().empty() &&
      choices->get_array()[0].is_object()) {
    const json::object& choice = choices->get_array()[0].get_object();
    finish = choice.if_contains("finish_reason");
    if (const json::value* m = choice.if_contains("message"); m && m->is_object()) {
      const json::object& message = m->get_object();
      const std::string text =
          ApplyStopSequences(StringField(message, "content"), stop_sequences, stop_hit);
      if (!text.empty()) {
        json::object block = Typed("text");
        block["text"] = text;
        content.push_back(std::move(block));
      }
      if (const json::value* calls = message.if_contains("tool_calls");
          calls && calls->is_array()) {
        for (const auto& c : calls->get_array()) {
          if (!c.is_object()) continue;
          const json::object& call = c.get_object();
          const json::value* f = call.if_contains("function");
          if (f == nullptr || !f->is_object()) continue;
          json::object block = Typed("tool_use");
          block["id"] = StringField(call, "id");
          block["name"] = StringField(f->get_object(), "name");
          block["input"] = ParseArguments(StringField(f->get_object(), "arguments"));
          content.push_back(std::move(block));
        }
      }
    }
  }
  const json::value* usage_value = root.if_contains("usage");
  const json::object* usage =
      usage_value != nullptr && usage_value->is_object() ? &usage_value->get_object() : nullptr;
  json::object out;
  out["id"] = MessageId(root);
  out["type"] = "message";
  out["role"] = "assistant";
  out["model"] = StringField(root, "model");
  out["content"] = std::move(content);
  if (stop_hit) {
    out["stop_reason"] = "stop_sequence";
    out["stop_sequence"] = *stop_hit;
  } else {
    out["stop_reason"] = StopReason(finish);
    out["stop_sequence"] = nullptr;
  }
  json::object tokens;
  tokens["input_tokens"] = IntField(usage, "prompt_tokens");
  tokens["output_tokens"] = IntField(usage, "completion_tokens");
  out["usage"] = std::move(tokens);
  return json::serialize(out);
}

namespace {

// What the first chunk knows about the prompt's size: usage, llama.cpp's per-token
// timings (prompt_n + cache_n) or its prompt progress; 0 when nothing.
std::int64_t PromptTokensOf(const json::object& chunk) {
  if (const json::value* u = chunk.if_contains("usage"); u && u->is_object()) {
    if (std::int64_t n = IntField(&u->get_object(), "prompt_tokens"); n > 0) return n;
  }
  if (const json::value* t = chunk.if_contains("timings"); t && t->is_object()) {
    const std::int64_t n =
        IntField(&t->get_object(), "prompt_n") + IntField(&t->get_object(), "cache_n");
    if (n > 0) return n;
  }
  if (const json::value* p = chunk.if_contains("prompt_progress"); p && p->is_object()) {
    if (std::int64_t n = IntField(&p->get_object(), "total"); n > 0) return n;
  }
  return 0;
}

}  // namespace

AnthropicStreamTranslator::AnthropicStreamTranslator(std::vector<std::string> stop_sequences,
                                                     std::int64_t estimated_input_tokens)
    : estimated_input_tokens_(estimated_input_tokens), stop_(std::move(stop_sequences)) {}

std::string AnthropicStreamTranslator::Start(std::string_view id, std::string_view model,
                                             std::int64_t input_tokens) {
  started_ = true;
  json::object message = Typed("message");
  message["id"] = id;
  message["role"] = "assistant";
  message["model"] = model;
  message["content"] = json::array();
  message["stop_reason"] = nullptr;
  message["stop_sequence"] = nullptr;
  json::object usage;
  usage["input_tokens"] = input_tokens;
  usage["output_tokens"] = 0;
  message["usage"] = std::move(usage);
  json::object event = Typed("message_start");
  event["message"] = std::move(message);
  return Event("message_start", event);
}

std::string AnthropicStreamTranslator::CloseBlock() {
  if (block_index_ < 0 || block_kind_.empty()) return {};
  json::object event = Typed("content_block_stop");
  event["index"] = block_index_;
  block_kind_.clear();
  return Event("content_block_stop", event);
}

std::string AnthropicStreamTranslator::OpenBlock(std::string_view block_json) {
  std::string out = CloseBlock();
  ++block_index_;
  json::object event = Typed("content_block_start");
  event["index"] = block_index_;
  event["content_block"] = json::parse(block_json);
  return out + Event("content_block_start", event);
}

std::string AnthropicStreamTranslator::OnChunk(std::string_view chunk) {
  boost::system::error_code ec;
  json::value doc = json::parse(chunk, ec);
  if (ec || !doc.is_object()) return {};
  const json::object& root = doc.get_object();
  std::string out;
  if (Finished()) return out;  // a stop sequence ended the message; the rest is not sent
  if (!started_) {
    const std::int64_t known = PromptTokensOf(root);
    input_tokens_ = known > 0 ? known : estimated_input_tokens_;
    out += Start(MessageId(root), StringField(root, "model"), input_tokens_);
  }
  if (const json::value* u = root.if_contains("usage"); u && u->is_object()) {
    input_tokens_ = IntField(&u->get_object(), "prompt_tokens");
    output_tokens_ = IntField(&u->get_object(), "completion_tokens");
    usage_seen_ = true;
  }
  const json::value* choices = root.if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->get_array().empty()) return out;
  const json::value& first = choices->get_array()[0];
  if (!first.is_object()) return out;
  const json::object& choice = first.get_object();
  if (const json::value* d = choice.if_contains("delta"); d && d->is_object()) {
    const json::object& delta = d->get_object();
    const std::string text = StringField(delta, "content");
    if (!text.empty()) {
      ++deltas_;
      out += TextDelta(stop_.empty() ? text : stop_.Feed(text));
      if (Finished()) return out;
    }
    if (const json::value* calls = delta.if_contains("tool_calls"); calls && calls->is_array()) {
      for (const auto& c : calls->get_array()) {
        if (!c.is_object()) continue;
        const json::object& call = c.get_object();
        const std::string kind = "tool:" + std::to_string(IntField(&call, "index"));
        const json::value* f = call.if_contains("function");
        const json::object* function = f != nullptr && f->is_object() ? &f->get_object() : nullptr;
        if (block_kind_ != kind) {
          json::object block = Typed("tool_use");
          block["id"] = StringField(call, "id");
          block["name"] = function != nullptr ? StringField(*function, "name") : std::string();
          block["input"] = json::object();
          out += OpenBlock(json::serialize(block));
          block_kind_ = kind;
        }
        const std::string args = function != nullptr ? StringField(*function, "arguments") : "";
        if (!args.empty()) {
          ++deltas_;
          json::object json_delta = Typed("input_json_delta");
          json_delta["partial_json"] = args;
          json::object event = Typed("content_block_delta");
          event["index"] = block_index_;
          event["delta"] = std::move(json_delta);
          out += Event("content_block_delta", event);
        }
      }
    }
  }
  if (const json::value* finish = choice.if_contains("finish_reason");
      finish && !finish->is_null()) {
    stop_reason_ = StopReason(finish);
    out += TextDelta(stop_.Flush());  // held back as a possible sequence: it was none
  }
  return out;
}

std::string AnthropicStreamTranslator::TextDelta(std::string_view text) {
  if (text.empty()) return {};
  std::string out;
  if (block_kind_ != "text") {
    out += OpenBlock(R"({"type":"text","text":""})");
    block_kind_ = "text";
  }
  json::object text_delta = Typed("text_delta");
  text_delta["text"] = text;
  json::object event = Typed("content_block_delta");
  event["index"] = block_index_;
  event["delta"] = std::move(text_delta);
  out += Event("content_block_delta", event);
  return out;
}

std::string AnthropicStreamTranslator::OnDone() {
  std::string out;
  if (!started_) out += Start("msg_lanewise", "", estimated_input_tokens_);
  if (!Finished()) out += TextDelta(stop_.Flush());
  out += CloseBlock();
  json::object delta;
  if (Finished()) {
    delta["stop_reason"] = "stop_sequence";
    delta["stop_sequence"] = *stop_.hit();
  } else {
    delta["stop_reason"] = stop_reason_;
    delta["stop_sequence"] = nullptr;
  }
  json::object usage;
  usage["input_tokens"] = input_tokens_;
  // Cut short by a stop sequence, the lane never sent its usage: the pieces seen then.
  usage["output_tokens"] = usage_seen_ ? output_tokens_ : deltas_;
  json::object event = Typed("message_delta");
  event["delta"] = std::move(delta);
  event["usage"] = std::move(usage);
  out += Event("message_delta", event);
  out += Event("message_stop", Typed("message_stop"));
  return out;
}

std::string AnthropicStreamTranslator::OnError(const core::Status& status) {
  return "event: error\ndata: " + AnthropicErrorJson(status) + "\n\n";
}

}  // namespace lanewise::api
