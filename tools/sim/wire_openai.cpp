// OpenAI's own chat-completions wire format (api.openai.com), for the cloud lanes.
#include <ctime>
#include <optional>

#include "tools/sim/json_builder.h"
#include "tools/sim/text_gen.h"
#include "tools/sim/wire.h"
#include "tools/sim/wire_common.h"

namespace lanewise::sim {
namespace {

constexpr std::string_view kFingerprint = "fp_5f0c1e2a9b";

void AppendProb(JsonBuilder& out, const TokenProb& prob) {
  out.Key("token").String(prob.token).Key("logprob").Double(prob.logprob).Key("bytes");
  AppendBytes(out, prob.token);
}

void AppendLogprobs(JsonBuilder& out, const std::vector<LogprobToken>& tokens, int top_n) {
  out.Key("logprobs").BeginObject().Key("content").BeginArray();
  for (const auto& token : tokens) {
    const TokenLogprob logprob = MakeLogprob(token.token, top_n, token.chosen);
    out.BeginObject();
    AppendProb(out, logprob.sampled);
    out.Key("top_logprobs").BeginArray();
    for (const auto& alternative : logprob.top) {
      out.BeginObject();
      AppendProb(out, alternative);
      out.EndObject();
    }
    out.EndArray().EndObject();
  }
  out.EndArray().Key("refusal").Null().EndObject();
}

void AppendUsage(JsonBuilder& out, const Completion& completion) {
  int completion_tokens = 0;
  for (const auto& choice : completion.choices) completion_tokens += choice.TokenCount();
  out.Key("usage").BeginObject();
  out.Key("prompt_tokens").Int(completion.prompt_tokens);
  out.Key("completion_tokens").Int(completion_tokens);
  out.Key("total_tokens").Int(completion.prompt_tokens + completion_tokens);
  out.Key("prompt_tokens_details").BeginObject();
  out.Key("cached_tokens").Int(0).Key("audio_tokens").Int(0).EndObject();
  out.Key("completion_tokens_details").BeginObject();
  out.Key("reasoning_tokens").Int(0).Key("audio_tokens").Int(0);
  out.Key("accepted_prediction_tokens").Int(0).Key("rejected_prediction_tokens").Int(0);
  out.EndObject().EndObject();
}

std::string ErrorBody(std::string_view message, std::string_view type, std::string_view param,
                      std::string_view code) {
  JsonBuilder out;
  out.BeginObject().Key("error").BeginObject();
  out.Key("message").String(message).Key("type").String(type).Key("param");
  param.empty() ? out.Null() : out.String(param);
  out.Key("code");
  code.empty() ? out.Null() : out.String(code);
  out.EndObject().EndObject();
  return out.Take();
}

class OpenAiWire final : public Wire {
 public:
  explicit OpenAiWire(std::string alias) : alias_(std::move(alias)) {}

  ResponseMeta NewMeta(const ChatParams& params) const override {
    ResponseMeta meta;
    meta.id = "chatcmpl-" + RandomAlnum(29);
    meta.created = static_cast<std::int64_t>(std::time(nullptr));
    meta.model = params.model.empty() ? alias_ : params.model;
    meta.include_usage = params.include_usage;
    meta.logprobs = params.logprobs;
    meta.top_logprobs = params.top_logprobs;
    return meta;
  }

  std::string ChatBody(const ResponseMeta& meta, const Completion& completion,
                       const Timings&) const override {
    JsonBuilder out;
    out.BeginObject();
    out.Key("id").String(meta.id).Key("object").String("chat.completion");
    out.Key("created").Int(meta.created).Key("model").String(meta.model);
    out.Key("choices").BeginArray();
    int index = 0;
    for (const auto& choice : completion.choices) {
      out.BeginObject().Key("index").Int(index++);
      out.Key("message").BeginObject().Key("role").String("assistant").Key("content");
      if (choice.tool_call) {
        const auto& call = *choice.tool_call;
        out.Null().Key("tool_calls").BeginArray().BeginObject();
        out.Key("id").String(call.id).Key("type").String("function");
        out.Key("function").BeginObject().Key("name").String(call.name);
        out.Key("arguments").String(call.arguments).EndObject();
        out.EndObject().EndArray();
      } else {
        out.String(choice.Content());
      }
      out.Key("refusal").Null().Key("annotations").BeginArray().EndArray().EndObject();
      if (meta.logprobs && !choice.tool_call) {
        AppendLogprobs(out, choice.LogprobTokens(), meta.top_logprobs);
      } else {
        out.Key("logprobs").Null();
      }
      out.Key("finish_reason").String(choice.finish_reason).EndObject();
    }
    out.EndArray();
    AppendUsage(out, completion);
    out.Key("service_tier").String("default");
    out.Key("system_fingerprint").String(kFingerprint);
    out.EndObject();
    return out.Take();
  }

  ChoiceFrames StreamFrames(const ResponseMeta& meta, const ChoicePlan& choice, int index,
                            const Timings&) const override {
    ChoiceFrames frames;
    const ToolCallPlan* call = choice.tool_call ? &*choice.tool_call : nullptr;
    // OpenAI opens a tool call in the role chunk, with empty arguments.
    frames.role = Chunk(meta, index, [&](JsonBuilder& delta) {
      delta.Key("role").String("assistant").Key("content");
      if (call != nullptr) {
        delta.Null().Key("tool_calls").BeginArray().BeginObject().Key("index").Int(0);
        delta.Key("id").String(call->id).Key("type").String("function");
        delta.Key("function").BeginObject().Key("name").String(call->name);
        delta.Key("arguments").String("").EndObject().EndObject().EndArray();
      } else {
        delta.String("");
      }
      delta.Key("refusal").Null();
    });
    if (call != nullptr) {
      for (const auto& fragment : call->fragments) {
        frames.tokens.push_back(Chunk(meta, index, [&](JsonBuilder& delta) {
          delta.Key("tool_calls").BeginArray().BeginObject().Key("index").Int(0);
          delta.Key("function").BeginObject().Key("arguments").String(fragment);
          delta.EndObject().EndObject().EndArray();
        }));
      }
    } else {
      for (std::size_t i = 0; i < choice.tokens.size(); ++i) {
        const std::string& token = choice.tokens[i];
        std::optional<LogprobToken> logprob;
        if (meta.logprobs) logprob = choice.LogprobAt(i);
        frames.tokens.push_back(Chunk(
            meta, index, [&](JsonBuilder& delta) { delta.Key("content").String(token); }, logprob));
      }
    }
    frames.finish = Chunk(
        meta, index, [](JsonBuilder&) {}, std::nullopt, choice.finish_reason);
    return frames;
  }

  std::vector<std::string> UsageFrames(const ResponseMeta& meta, const Completion& completion,
                                       const Timings&) const override {
    JsonBuilder out;
    AppendChunkHead(out, meta);
    out.Key("choices").BeginArray().EndArray();
    AppendUsage(out, completion);
    out.EndObject();
    return {SseFrame(out.str())};
  }

  std::string ErrorEventFrame(std::string_view message) const override {
    return SseFrame(ErrorBody(message.empty() ? "The server had an error while processing your "
                                                "request. Sorry about that!"
                                              : message,
                              "server_error", "", ""));
  }

  ErrorReply Error(int status, std::string_view message) const override {
    std::string_view type = status >= 500 ? "server_error" : "invalid_request_error";
    std::string_view code;
    std::string_view fallback = "simulated error";
    if (status == 401) {
      code = "invalid_api_key";
      fallback = "Incorrect API key provided.";
    } else if (status == 404) {
      code = "model_not_found";
      fallback = "The model does not exist or you do not have access to it.";
    } else if (status == 429) {
      type = "requests";
      code = "rate_limit_exceeded";
      fallback = "Rate limit reached for requests. Please try again later.";
    } else if (status == 500) {
      fallback = "The server had an error while processing your request. Sorry about that!";
    } else if (status == 503) {
      fallback = "The engine is currently overloaded, please try again later.";
    }
    return {status, ErrorBody(message.empty() ? fallback : message, type, "", code)};
  }

  ErrorReply RequestError(const core::Status& status) const override {
    if (status.reason() == "invalid_json") {
      return {400, ErrorBody("We could not parse the JSON body of your request. (HINT: This "
                             "likely means you aren't using your HTTP library correctly.)",
                             "invalid_request_error", "", "")};
    }
    if (status.message() == "'messages' is required") {
      return {400, ErrorBody("Missing required parameter: 'messages'.", "invalid_request_error",
                             "messages", "missing_required_parameter")};
    }
    const int code = status.code() == core::StatusCode::kInvalidArgument ? 400 : 500;
    return {code, ErrorBody(status.message(),
                            code == 400 ? "invalid_request_error" : "server_error", "", "")};
  }

  ErrorReply NotFound(std::string_view method, std::string_view path) const override {
    return {404, ErrorBody("Invalid URL (" + std::string(method) + " " + std::string(path) + ")",
                           "invalid_request_error", "", "")};
  }

  std::string ModelsBody() const override {
    JsonBuilder out;
    out.BeginObject().Key("object").String("list").Key("data").BeginArray().BeginObject();
    out.Key("id").String(alias_).Key("object").String("model");
    out.Key("created").Int(1715367049).Key("owned_by").String("system");
    out.EndObject().EndArray().EndObject();
    return out.Take();
  }

  Headers JsonHeaders(bool) const override {
    return {{"Content-Type", "application/json"},
            {"openai-version", "2020-10-01"},
            {"openai-processing-ms", "1"},
            {"x-request-id", "req_" + RandomAlnum(32)}};
  }

  Headers StreamHeaders() const override {
    return {{"Content-Type", "text/event-stream; charset=utf-8"},
            {"openai-version", "2020-10-01"},
            {"openai-processing-ms", "1"},
            {"x-request-id", "req_" + RandomAlnum(32)}};
  }

 private:
  static void AppendChunkHead(JsonBuilder& out, const ResponseMeta& meta) {
    out.BeginObject();
    out.Key("id").String(meta.id).Key("object").String("chat.completion.chunk");
    out.Key("created").Int(meta.created).Key("model").String(meta.model);
    out.Key("service_tier").String("default").Key("system_fingerprint").String(kFingerprint);
  }

  template <typename DeltaWriter>
  static std::string Chunk(const ResponseMeta& meta, int index, DeltaWriter&& write_delta,
                           std::optional<LogprobToken> logprob_token = std::nullopt,
                           std::string_view finish_reason = {}) {
    JsonBuilder out;
    AppendChunkHead(out, meta);
    out.Key("choices").BeginArray().BeginObject().Key("index").Int(index);
    out.Key("delta").BeginObject();
    write_delta(out);
    out.EndObject();
    if (logprob_token.has_value()) {
      AppendLogprobs(out, {*logprob_token}, meta.top_logprobs);
    } else {
      out.Key("logprobs").Null();
    }
    out.Key("finish_reason");
    finish_reason.empty() ? out.Null() : out.String(finish_reason);
    out.EndObject().EndArray();
    if (meta.include_usage) out.Key("usage").Null();
    out.EndObject();
    return SseFrame(out.str());
  }

  std::string alias_;
};

}  // namespace

std::unique_ptr<Wire> MakeOpenAiWire(std::string model_alias) {
  return std::make_unique<OpenAiWire>(std::move(model_alias));
}

std::unique_ptr<Wire> MakeWire(Flavor flavor, std::string model_alias) {
  if (flavor == Flavor::kOpenAi) return MakeOpenAiWire(std::move(model_alias));
  return MakeLlamaWire(std::move(model_alias));
}

std::string SseFrame(std::string_view json) {
  std::string frame;
  frame.reserve(json.size() + 8);
  frame += "data: ";
  frame += json;
  frame += "\n\n";
  return frame;
}

}  // namespace lanewise::sim
