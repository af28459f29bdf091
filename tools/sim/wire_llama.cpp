// llama-server's wire format, as captured in /work/shared/wire/llama-server/.
#include <array>
#include <ctime>
#include <optional>

#include "tools/sim/json_builder.h"
#include "tools/sim/text_gen.h"
#include "tools/sim/wire.h"
#include "tools/sim/wire_common.h"

namespace lanewise::sim {
namespace {

constexpr std::string_view kFingerprint = "b1-de3ff81";

void AppendProb(JsonBuilder& out, const TokenProb& prob) {
  out.Key("id").Int(prob.id).Key("token").String(prob.token).Key("bytes");
  AppendBytes(out, prob.token);
  out.Key("logprob").Double(prob.logprob);
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
  out.EndArray().EndObject();
}

void AppendUsage(JsonBuilder& out, int prompt_tokens, int completion_tokens) {
  out.Key("usage")
      .BeginObject()
      .Key("completion_tokens")
      .Int(completion_tokens)
      .Key("prompt_tokens")
      .Int(prompt_tokens)
      .Key("total_tokens")
      .Int(prompt_tokens + completion_tokens)
      .Key("prompt_tokens_details")
      .BeginObject()
      .Key("cached_tokens")
      .Int(0)
      .EndObject()
      .EndObject();
}

void AppendTimings(JsonBuilder& out, const Timings& t) {
  auto per_token = [](double ms, int n) { return n > 0 ? ms / n : 0.0; };
  auto per_second = [](double ms, int n) { return ms > 0 ? 1000.0 * n / ms : 0.0; };
  out.Key("timings")
      .BeginObject()
      .Key("cache_n")
      .Int(0)
      .Key("prompt_n")
      .Int(t.prompt_n)
      .Key("prompt_ms")
      .Double(t.prompt_ms)
      .Key("prompt_per_token_ms")
      .Double(per_token(t.prompt_ms, t.prompt_n))
      .Key("prompt_per_second")
      .Double(per_second(t.prompt_ms, t.prompt_n))
      .Key("predicted_n")
      .Int(t.predicted_n)
      .Key("predicted_ms")
      .Double(t.predicted_ms)
      .Key("predicted_per_token_ms")
      .Double(per_token(t.predicted_ms, t.predicted_n))
      .Key("predicted_per_second")
      .Double(per_second(t.predicted_ms, t.predicted_n))
      .EndObject();
}

// Error bodies come in two key orders in llama-server: {code,message,type} from the
// handlers and {message,type,code} from the HTTP layer (404, 401, 503 while loading).
std::string ErrorBody(int code, std::string_view message, std::string_view type,
                      bool message_first) {
  JsonBuilder out;
  out.BeginObject().Key("error").BeginObject();
  if (message_first) {
    out.Key("message").String(message).Key("type").String(type).Key("code").Int(code);
  } else {
    out.Key("code").Int(code).Key("message").String(message).Key("type").String(type);
  }
  out.EndObject().EndObject();
  return out.Take();
}

// llama-server's error types by status. 429 does not occur in llama-server; the closest
// type it has is used.
struct ErrorKind {
  int status;
  std::string_view type;
  std::string_view message;  // when the fault gives none
  bool message_first;
};
constexpr std::array<ErrorKind, 7> kErrorKinds{{
    {401, "authentication_error", "Invalid API Key", true},
    {403, "permission_error", "Permission denied", false},
    {404, "not_found_error", "File Not Found", true},
    {429, "unavailable_error", "simulated rate limit", false},
    {500, "server_error", "Internal Server Error", false},
    {501, "not_supported_error", "Not supported", false},
    {503, "unavailable_error", "Loading model", true},
}};

class LlamaWire final : public Wire {
 public:
  explicit LlamaWire(std::string alias) : alias_(std::move(alias)) {}

  ResponseMeta NewMeta(const ChatParams& params) const override {
    ResponseMeta meta;
    meta.id = "chatcmpl-" + RandomAlnum(32);
    meta.created = static_cast<std::int64_t>(std::time(nullptr));
    meta.model = alias_;  // llama-server ignores the requested model name
    meta.include_usage = params.include_usage;
    meta.logprobs = params.logprobs;
    meta.top_logprobs = params.top_logprobs;
    return meta;
  }

  std::string ChatBody(const ResponseMeta& meta, const Completion& completion,
                       const Timings& timings) const override {
    JsonBuilder out;
    out.BeginObject().Key("choices").BeginArray();
    int index = 0;
    for (const auto& choice : completion.choices) {
      out.BeginObject()
          .Key("finish_reason")
          .String(choice.finish_reason)
          .Key("index")
          .Int(index++)
          .Key("message")
          .BeginObject()
          .Key("role")
          .String("assistant")
          .Key("content")
          .String(choice.Content());
      if (choice.tool_call) {
        const auto& call = *choice.tool_call;
        out.Key("tool_calls")
            .BeginArray()
            .BeginObject()
            .Key("type")
            .String("function")
            .Key("function")
            .BeginObject()
            .Key("name")
            .String(call.name)
            .Key("arguments")
            .String(call.arguments)
            .EndObject()
            .Key("id")
            .String(call.id)
            .EndObject()
            .EndArray();
      }
      out.EndObject();
      if (meta.logprobs && !choice.tool_call) {
        AppendLogprobs(out, choice.LogprobTokens(), meta.top_logprobs);
      }
      out.EndObject();
    }
    out.EndArray()
        .Key("created")
        .Int(meta.created)
        .Key("model")
        .String(meta.model)
        .Key("system_fingerprint")
        .String(kFingerprint)
        .Key("object")
        .String("chat.completion");
    AppendUsage(out, completion.prompt_tokens, completion.choices.front().TokenCount());
    out.Key("id").String(meta.id);
    AppendTimings(out, timings);
    out.EndObject();
    return out.Take();
  }

  ChoiceFrames StreamFrames(const ResponseMeta& meta, const ChoicePlan& choice, int index,
                            const Timings& timings) const override {
    ChoiceFrames frames;
    frames.role = Chunk(meta, index, [](JsonBuilder& delta) {
      delta.Key("role").String("assistant").Key("content").Null();
    });
    if (choice.tool_call) {
      const auto& call = *choice.tool_call;
      for (std::size_t i = 0; i < call.fragments.size(); ++i) {
        frames.tokens.push_back(Chunk(meta, index, [&](JsonBuilder& delta) {
          delta.Key("tool_calls").BeginArray().BeginObject().Key("index").Int(0);
          if (i == 0) delta.Key("id").String(call.id).Key("type").String("function");
          delta.Key("function").BeginObject();
          if (i == 0) delta.Key("name").String(call.name);
          delta.Key("arguments").String(call.fragments[i]).EndObject().EndObject().EndArray();
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
    JsonBuilder finish;
    finish.BeginObject()
        .Key("choices")
        .BeginArray()
        .BeginObject()
        .Key("finish_reason")
        .String(choice.finish_reason)
        .Key("index")
        .Int(index)
        .Key("delta")
        .BeginObject()
        .EndObject()
        .EndObject()
        .EndArray();
    AppendChunkTail(finish, meta);
    if (!meta.include_usage) AppendTimings(finish, timings);
    finish.EndObject();
    frames.finish = SseFrame(finish.str());
    return frames;
  }

  std::vector<std::string> UsageFrames(const ResponseMeta& meta, const Completion& completion,
                                       const Timings& timings) const override {
    std::vector<std::string> frames;
    for (const auto& choice : completion.choices) {
      JsonBuilder out;
      out.BeginObject().Key("choices").BeginArray().EndArray();
      AppendChunkTail(out, meta);
      AppendUsage(out, completion.prompt_tokens, choice.TokenCount());
      AppendTimings(out, timings);
      out.EndObject();
      frames.push_back(SseFrame(out.str()));
    }
    return frames;
  }

  std::string ErrorEventFrame(std::string_view message) const override {
    return SseFrame(ErrorBody(500, message.empty() ? "simulated error during generation" : message,
                              "server_error", false));
  }

  ErrorReply Error(int status, std::string_view message) const override {
    ErrorKind kind{status, status >= 500 ? "server_error" : "invalid_request_error",
                   "simulated error", false};
    for (const auto& known : kErrorKinds) {
      if (known.status == status) kind = known;
    }
    return {status, ErrorBody(status, message.empty() ? kind.message : message, kind.type,
                              kind.message_first)};
  }

  ErrorReply RequestError(const core::Status& status) const override {
    if (status.code() == core::StatusCode::kInvalidArgument) {
      return {400, ErrorBody(400, status.message(), "invalid_request_error", false)};
    }
    return {500, ErrorBody(500, status.message(), "server_error", false)};
  }

  ErrorReply NotFound(std::string_view, std::string_view) const override {
    return {404, ErrorBody(404, "File Not Found", "not_found_error", true)};
  }

  std::string ModelsBody() const override {
    JsonBuilder out;
    out.BeginObject().Key("models").BeginArray().BeginObject();
    out.Key("name").String(alias_).Key("model").String(alias_);
    for (const char* key : {"modified_at", "size", "digest"}) out.Key(key).String("");
    out.Key("type").String("model").Key("description").String("");
    out.Key("tags").BeginArray().String("").EndArray();
    out.Key("capabilities").BeginArray().String("completion").EndArray();
    out.Key("parameters").String("");
    out.Key("details").BeginObject().Key("parent_model").String("").Key("format").String("gguf");
    out.Key("family").String("").Key("families").BeginArray().String("").EndArray();
    out.Key("parameter_size").String("").Key("quantization_level").String("");
    out.EndObject().EndObject().EndArray();
    out.Key("object").String("list").Key("data").BeginArray().BeginObject();
    out.Key("id").String(alias_).Key("aliases").BeginArray().String(alias_).EndArray();
    out.Key("tags").BeginArray().EndArray().Key("object").String("model");
    out.Key("created").Int(static_cast<std::int64_t>(std::time(nullptr)));
    out.Key("owned_by").String("llamacpp").Key("meta").BeginObject();
    out.Key("vocab_type").Int(2).Key("n_vocab").Int(151936).Key("n_ctx").Int(2048);
    out.Key("n_ctx_train").Int(2048).Key("n_embd").Int(64).Key("n_params").Int(19530048);
    out.Key("size").Int(78120192).Key("ftype").String("all F32");
    out.EndObject().EndObject().EndArray().EndObject();
    return out.Take();
  }

  Headers JsonHeaders(bool error) const override {
    Headers headers{{"Server", "llama.cpp"},
                    {"Access-Control-Allow-Origin", ""},
                    {"Content-Type", "application/json; charset=utf-8"}};
    if (error) {
      headers.emplace_back("Connection", "close");
    } else {
      headers.emplace_back("Keep-Alive", "timeout=5, max=100");
    }
    return headers;
  }

  Headers StreamHeaders() const override {
    return {{"Server", "llama.cpp"},
            {"Access-Control-Allow-Origin", ""},
            {"X-Accel-Buffering", "no"},
            {"Content-Type", "text/event-stream"},
            {"Keep-Alive", "timeout=5, max=100"}};
  }

 private:
  static void AppendChunkTail(JsonBuilder& out, const ResponseMeta& meta) {
    out.Key("created")
        .Int(meta.created)
        .Key("id")
        .String(meta.id)
        .Key("model")
        .String(meta.model)
        .Key("system_fingerprint")
        .String(kFingerprint)
        .Key("object")
        .String("chat.completion.chunk");
  }

  template <typename DeltaWriter>
  static std::string Chunk(const ResponseMeta& meta, int index, DeltaWriter&& write_delta,
                           std::optional<LogprobToken> logprob_token = std::nullopt) {
    JsonBuilder out;
    out.BeginObject()
        .Key("choices")
        .BeginArray()
        .BeginObject()
        .Key("finish_reason")
        .Null()
        .Key("index")
        .Int(index)
        .Key("delta")
        .BeginObject();
    write_delta(out);
    out.EndObject();
    if (logprob_token.has_value()) AppendLogprobs(out, {*logprob_token}, meta.top_logprobs);
    out.EndObject().EndArray();
    AppendChunkTail(out, meta);
    out.EndObject();
    return SseFrame(out.str());
  }

  std::string alias_;
};

}  // namespace

std::unique_ptr<Wire> MakeLlamaWire(std::string model_alias) {
  return std::make_unique<LlamaWire>(std::move(model_alias));
}

}  // namespace lanewise::sim
