#include "tools/sim/completion.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "tools/sim/json_builder.h"
#include "tools/sim/text_gen.h"
#include "tools/sim/weak_lane.h"

namespace lanewise::sim {
namespace {

namespace json = boost::json;

void AppendValueForSchema(JsonBuilder& out, const json::object& schema, std::uint64_t seed) {
  if (const auto* values = schema.if_contains("enum");
      values && values->is_array() && !values->get_array().empty()) {
    const json::value& first = values->get_array().front();
    if (first.is_string()) {
      out.String(first.get_string());
    } else {
      out.Raw(json::serialize(first));
    }
    return;
  }
  const json::value* type = schema.if_contains("type");
  const std::string_view type_name =
      type != nullptr && type->is_string() ? std::string_view(type->get_string()) : "string";
  if (type_name == "integer" || type_name == "number") {
    out.Int(static_cast<std::int64_t>(seed % 100) + 1);
  } else if (type_name == "boolean") {
    out.Bool(true);
  } else if (type_name == "array") {
    out.BeginArray().EndArray();
  } else if (type_name == "object") {
    out.Raw(ArgumentsForSchema(schema, seed));
  } else if (type_name == "null") {
    out.Null();
  } else {
    out.String(PickWord(seed));
  }
}

const ToolSpec* ChooseTool(const ChatParams& params, const Settings& settings) {
  if (params.tools.empty() || params.tool_choice == ToolChoice::kNone) return nullptr;
  if (params.tool_choice == ToolChoice::kNamed) {
    for (const auto& tool : params.tools) {
      if (tool.name == params.tool_choice_name) return &tool;
    }
    return &params.tools.front();
  }
  if (params.tool_choice == ToolChoice::kRequired || settings.tool_call) {
    return &params.tools.front();
  }
  return nullptr;
}

std::vector<std::string> ContentTokens(const ChatParams& params, const Settings& settings,
                                       std::uint64_t seed) {
  switch (settings.mode) {
    case Mode::kEcho:
      return SplitIntoTokens(params.last_user_text);
    case Mode::kReply:
      return SplitIntoTokens(settings.reply);
    case Mode::kWords:
      break;
  }
  if (params.response_format == ResponseFormat::kText) return WordTokens(seed, settings.tokens);
  std::string text;
  if (params.schema.contains("properties")) {
    text = ArgumentsForSchema(params.schema, seed);
  } else {
    std::string words;
    for (const auto& token : WordTokens(seed, std::max(1, settings.tokens / 2))) words += token;
    JsonBuilder out;
    out.BeginObject().Key("result").String(words).EndObject();
    text = out.Take();
  }
  return SplitIntoTokens(text);
}

// Cuts the tokens at the first stop string (which is not included). True if one was found.
bool ApplyStop(const std::vector<std::string>& stops, std::vector<std::string>& tokens) {
  if (stops.empty()) return false;
  std::string text;
  for (const auto& token : tokens) text += token;
  std::size_t cut = std::string::npos;
  for (const auto& stop : stops) cut = std::min(cut, text.find(stop));
  if (cut == std::string::npos) return false;
  std::vector<std::string> kept;
  std::size_t offset = 0;
  for (auto& token : tokens) {
    if (offset + token.size() <= cut) {
      offset += token.size();
      kept.push_back(std::move(token));
      continue;
    }
    if (cut > offset) kept.push_back(token.substr(0, cut - offset));
    break;
  }
  tokens = std::move(kept);
  return true;
}

}  // namespace

std::string ChoicePlan::Content() const {
  std::string text;
  for (const auto& token : tokens) text += token;
  return text;
}

int ChoicePlan::TokenCount() const {
  if (tool_call) return static_cast<int>(tool_call->fragments.size());
  return static_cast<int>(tokens.size());
}

std::string ArgumentsForSchema(const json::object& schema, std::uint64_t seed) {
  JsonBuilder out;
  out.BeginObject();
  const json::value* properties = schema.if_contains("properties");
  if (properties != nullptr && properties->is_object()) {
    for (const auto& [name, property] : properties->get_object()) {
      out.Key(name);
      const std::uint64_t property_seed = HashBytes(name, seed);
      if (property.is_object()) {
        AppendValueForSchema(out, property.get_object(), property_seed);
      } else {
        out.String(PickWord(property_seed));
      }
    }
  }
  out.EndObject();
  return out.Take();
}

LogprobToken ChoicePlan::LogprobAt(std::size_t i) const {
  LogprobToken out{tokens[i], std::nullopt};
  if (i < logprobs.size()) out.chosen = logprobs[i];
  return out;
}

std::vector<LogprobToken> ChoicePlan::LogprobTokens() const {
  std::vector<LogprobToken> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) out.push_back(LogprobAt(i));
  return out;
}

Completion PlanCompletion(const ChatParams& params, const Settings& settings, Flavor flavor) {
  Completion completion;
  completion.prompt_tokens = params.prompt_tokens;
  const ToolSpec* tool = ChooseTool(params, settings);
  for (int index = 0; index < params.n; ++index) {
    const std::uint64_t seed = params.messages_hash + static_cast<std::uint64_t>(index);
    ChoicePlan choice;
    if (tool != nullptr) {
      ToolCallPlan call;
      call.id = flavor == Flavor::kOpenAi ? "call_" + RandomAlnum(24) : RandomAlnum(32);
      call.name = tool->name;
      call.arguments = ArgumentsForSchema(tool->parameters, seed);
      call.fragments = SplitIntoTokens(call.arguments);
      choice.tool_call = std::move(call);
      choice.finish_reason = "tool_calls";
    } else {
      const bool weak = settings.weak_lane.enabled && settings.mode == Mode::kWords &&
                        params.response_format == ResponseFormat::kText;
      WeakAnswer weak_answer;
      if (weak) {
        weak_answer = PlanWeakAnswer(settings.weak_lane, seed, settings.tokens);
        choice.tokens = weak_answer.tokens;
      } else {
        choice.tokens = ContentTokens(params, settings, seed);
      }
      choice.finish_reason = "stop";
      // In words mode the "model" would go on, so reaching the limit means "length".
      const bool open_ended =
          settings.mode == Mode::kWords && params.response_format == ResponseFormat::kText;
      const int size = static_cast<int>(choice.tokens.size());
      if (params.max_tokens &&
          (size > *params.max_tokens || (open_ended && size == *params.max_tokens))) {
        choice.tokens.resize(static_cast<std::size_t>(*params.max_tokens));
        choice.finish_reason = "length";
      }
      if (ApplyStop(params.stop, choice.tokens)) choice.finish_reason = "stop";
      // sim.token_logprobs, cycled over the answer's tokens (a weak lane's own, one each).
      const std::vector<double>& chosen = weak ? weak_answer.logprobs : settings.token_logprobs;
      for (std::size_t i = 0; !chosen.empty() && i < choice.tokens.size(); ++i) {
        choice.logprobs.push_back(chosen[i % chosen.size()]);
      }
    }
    completion.choices.push_back(std::move(choice));
  }
  return completion;
}

}  // namespace lanewise::sim
