#include "redact/stream_restorer.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "redact/restorer.h"

namespace lanewise::redact {
namespace {

namespace json = boost::json;

constexpr std::string_view kTextFields[] = {"content", "reasoning_content", "refusal"};
constexpr std::string_view kToolPrefix = "tool:";

bool MayHoldPlaceholder(std::string_view chunk) {
  return chunk.find('[') != std::string_view::npos ||
         chunk.find("\\u005b") != std::string_view::npos ||
         chunk.find("\\u005B") != std::string_view::npos;
}

std::int64_t IntField(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

InsertAs ModeOf(std::string_view channel) {
  return channel == "function_call" || channel.starts_with(kToolPrefix)
             ? InsertAs::kJsonStringContent
             : InsertAs::kText;
}

// Appends `text` to the delta field that `channel` names, creating what is missing.
void AppendToChannel(json::object& delta, std::string_view channel, std::string_view text) {
  auto append = [&](json::object& holder, std::string_view key) {
    json::value& field = holder[key];
    if (field.is_string()) {
      field.get_string().append(text);
    } else {
      field = text;
    }
  };
  if (channel == "function_call") {
    json::value& call = delta["function_call"];
    if (!call.is_object()) call = json::object();
    append(call.get_object(), "arguments");
    return;
  }
  if (channel.starts_with(kToolPrefix)) {
    const std::int64_t index = std::stoll(std::string(channel.substr(kToolPrefix.size())));
    json::value& calls = delta["tool_calls"];
    if (!calls.is_array()) calls = json::array();
    json::object* call = nullptr;
    for (auto& item : calls.get_array()) {
      if (item.is_object() && IntField(item.get_object(), "index") == index) {
        call = &item.get_object();
      }
    }
    if (call == nullptr) {
      json::object fresh;
      fresh["index"] = index;
      calls.get_array().push_back(std::move(fresh));
      call = &calls.get_array().back().get_object();
    }
    json::value& function = (*call)["function"];
    if (!function.is_object()) function = json::object();
    append(function.get_object(), "arguments");
    return;
  }
  append(delta, channel);
}

}  // namespace

StreamRestorer::StreamRestorer(std::shared_ptr<const PlaceholderVault> vault)
    : vault_(std::move(vault)) {}

std::size_t StreamRestorer::held_bytes() const {
  std::size_t total = 0;
  for (const auto& [key, held] : held_) total += held.size();
  for (const auto& [key, stream] : token_streams_) total += stream->empty() ? 0 : 1;
  return total;
}

std::string StreamRestorer::Release(const ChannelKey& key, std::string_view piece) {
  std::string& held = held_[key];
  held.append(piece);
  const std::size_t keep = vault_->PendingSuffix(held);
  std::string released = RestoreText(std::string_view(held).substr(0, held.size() - keep), *vault_,
                                     ModeOf(key.second));
  held.erase(0, held.size() - keep);
  return released;
}

std::string StreamRestorer::OnChunk(std::string chunk) {
  if (vault_ == nullptr || vault_->empty()) return chunk;
  if (held_bytes() == 0 && !MayHoldPlaceholder(chunk)) return chunk;
  boost::system::error_code ec;
  json::value doc = json::parse(chunk, ec);
  if (ec || !doc.is_object()) return chunk;
  json::object& root = doc.get_object();
  json::value* choices = root.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return chunk;
  if (const json::value* id = root.if_contains("id"); id != nullptr && id->is_string()) {
    last_id_ = id->get_string();
  }
  if (const json::value* model = root.if_contains("model"); model && model->is_string()) {
    last_model_ = model->get_string();
  }
  last_created_ = IntField(root, "created");

  for (auto& choice_value : choices->get_array()) {
    if (!choice_value.is_object()) continue;
    json::object& choice = choice_value.get_object();
    const std::int64_t index = IntField(choice, "index");
    json::value& delta_value = choice["delta"];
    if (!delta_value.is_object()) delta_value = json::object();
    json::object& delta = delta_value.get_object();

    for (std::string_view field : kTextFields) {
      json::value* text = delta.if_contains(field);
      if (text == nullptr || !text->is_string()) continue;
      *text = Release({index, std::string(field)}, text->get_string());
    }
    if (json::value* calls = delta.if_contains("tool_calls"); calls && calls->is_array()) {
      for (auto& call : calls->get_array()) {
        if (!call.is_object()) continue;
        json::value* function = call.get_object().if_contains("function");
        if (function == nullptr || !function->is_object()) continue;
        json::value* args = function->get_object().if_contains("arguments");
        if (args == nullptr || !args->is_string()) continue;
        const std::string channel =
            std::string(kToolPrefix) + std::to_string(IntField(call.get_object(), "index"));
        *args = Release({index, channel}, args->get_string());
      }
    }
    if (json::value* call = delta.if_contains("function_call"); call && call->is_object()) {
      json::value* args = call->get_object().if_contains("arguments");
      if (args != nullptr && args->is_string()) {
        *args = Release({index, "function_call"}, args->get_string());
      }
    }
    const json::value* finish = choice.if_contains("finish_reason");
    const bool finished = finish != nullptr && !finish->is_null();
    RestoreLogprobsOf(index, choice, finished);
    // A finished choice can complete no placeholder any more: release what it holds.
    if (finished) {
      for (auto it = held_.lower_bound({index, std::string()});
           it != held_.end() && it->first.first == index; it = held_.erase(it)) {
        if (!it->second.empty()) AppendToChannel(delta, it->first.second, it->second);
      }
    }
  }
  return json::serialize(doc);
}

void StreamRestorer::RestoreLogprobsOf(std::int64_t index, json::object& choice, bool finished) {
  json::value* logprobs = choice.if_contains("logprobs");
  const bool has = logprobs != nullptr && logprobs->is_object();
  for (std::string_view field : {"content", "refusal"}) {
    const std::pair<std::int64_t, std::string> key{index, std::string(field)};
    json::value* entries = has ? logprobs->get_object().if_contains(field) : nullptr;
    const bool arrived = entries != nullptr && entries->is_array();
    auto stream = token_streams_.find(key);
    if (!arrived && (stream == token_streams_.end() || !finished)) continue;
    if (stream == token_streams_.end()) {
      stream = token_streams_.emplace(key, std::make_unique<TokenEntryStream>(*vault_)).first;
    }
    json::array out = arrived ? stream->second->Push(entries->get_array()) : json::array();
    if (finished) {
      for (json::value& entry : stream->second->Flush()) out.push_back(std::move(entry));
      token_streams_.erase(stream);
    }
    if (!has) {
      choice["logprobs"] = json::object();
      logprobs = choice.if_contains("logprobs");
    }
    logprobs->get_object()[field] = std::move(out);
  }
}

std::optional<std::string> StreamRestorer::Finish() {
  if (held_bytes() == 0) return std::nullopt;
  std::map<std::int64_t, json::object> deltas;
  for (const auto& [key, held] : held_) {
    if (!held.empty()) AppendToChannel(deltas[key.first], key.second, held);
  }
  held_.clear();
  std::map<std::int64_t, json::object> logprobs;
  for (auto& [key, stream] : token_streams_) {
    json::array rest = stream->Flush();
    if (rest.empty()) continue;
    deltas[key.first];  // the choice gets a chunk even with no text held
    logprobs[key.first][key.second] = std::move(rest);
  }
  token_streams_.clear();
  json::array choices;
  for (auto& [index, delta] : deltas) {
    json::object choice;
    choice["index"] = index;
    choice["delta"] = std::move(delta);
    if (auto it = logprobs.find(index); it != logprobs.end())
      choice["logprobs"] = std::move(it->second);
    choice["finish_reason"] = nullptr;
    choices.push_back(std::move(choice));
  }
  json::object root;
  root["id"] = last_id_;
  root["object"] = "chat.completion.chunk";
  root["created"] = last_created_;
  root["model"] = last_model_;
  root["choices"] = std::move(choices);
  return json::serialize(root);
}

}  // namespace lanewise::redact
