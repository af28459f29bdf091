#include "tools/sim/response_script.h"

#include <algorithm>
#include <cmath>

namespace lanewise::sim {
namespace {

double FirstTokenMs(const Settings& settings, int prompt_tokens) {
  double ms = settings.ttft_ms;
  if (settings.prefill_tokens_per_second > 0) {
    ms += 1000.0 * prompt_tokens / settings.prefill_tokens_per_second;
  }
  return ms;
}

Timings PlanTimings(const Settings& settings, const Completion& completion) {
  Timings timings;
  timings.prompt_n = completion.prompt_tokens;
  timings.prompt_ms = settings.ttft_ms > 0 || settings.prefill_tokens_per_second > 0
                          ? FirstTokenMs(settings, completion.prompt_tokens)
                          : 0.05 * completion.prompt_tokens;
  timings.predicted_n = completion.choices.front().TokenCount();
  timings.predicted_ms = settings.tokens_per_second > 0
                             ? 1000.0 * timings.predicted_n / settings.tokens_per_second
                             : 0.02 * timings.predicted_n;
  // Milliseconds with microsecond resolution, as llama-server reports them.
  timings.prompt_ms = std::round(timings.prompt_ms * 1000.0) / 1000.0;
  timings.predicted_ms = std::round(timings.predicted_ms * 1000.0) / 1000.0;
  return timings;
}

Step Make(Step::Kind kind, double at_ms, std::string data = {}) {
  Step step;
  step.kind = kind;
  step.at_ms = at_ms;
  step.data = std::move(data);
  return step;
}

std::string RawHead(int status, const Headers& headers, std::size_t content_length) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Error");
  head += "\r\n";
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  head += "Content-Length: " + std::to_string(content_length) + "\r\n\r\n";
  return head;
}

ResponseScript ErrorStatusScript(const Wire& wire, int status, std::string_view message,
                                 double at_ms) {
  ErrorReply reply = wire.Error(status, message);
  ResponseScript script =
      JsonResponseScript(reply.status, wire.JsonHeaders(true), std::move(reply.body));
  script.steps.front().at_ms = at_ms;
  return script;
}

struct TimedFrame {
  double at_ms;
  std::string data;
};

ResponseScript NonStreamScript(const Wire& wire, const Settings& settings, const std::string& body,
                               double ttft, double end) {
  ResponseScript script;
  switch (settings.fault) {
    case Fault::kNone:
    case Fault::kStall: {
      const double delay = settings.fault == Fault::kStall ? settings.stall_ms : 0;
      script = JsonResponseScript(200, wire.JsonHeaders(false), body);
      script.steps.front().at_ms = end + delay;
      return script;
    }
    case Fault::kStatus:
      return ErrorStatusScript(wire, settings.status, settings.message, ttft);
    case Fault::kErrorEvent:
      return ErrorStatusScript(wire, 500, settings.message, ttft);
    case Fault::kResetBeforeFirstByte:
      script.steps.push_back(Make(Step::Kind::kReset, ttft));
      return script;
    case Fault::kResetAfterFirstByte:
    case Fault::kTruncate: {
      // The head promises the whole body; only half of it comes, then a reset or a FIN.
      std::string raw = RawHead(200, wire.JsonHeaders(false), body.size());
      raw.append(body, 0, body.size() / 2);
      script.steps.push_back(Make(Step::Kind::kRaw, end, std::move(raw)));
      if (settings.fault == Fault::kResetAfterFirstByte) {
        script.steps.push_back(Make(Step::Kind::kReset, end));
      }
      return script;
    }
    case Fault::kMalformedChunk:
      script = JsonResponseScript(200, wire.JsonHeaders(false), R"({"choices":[{"delta":)");
      script.steps.front().at_ms = end;
      return script;
  }
  return script;
}

}  // namespace

void DelayScript(ResponseScript& script, double delay_ms) {
  for (Step& step : script.steps) step.at_ms += delay_ms;
}

double ScriptEndMs(const ResponseScript& script) {
  double end = 0;
  for (const Step& step : script.steps) end = std::max(end, step.at_ms);
  return end;
}

ResponseScript JsonResponseScript(int status, Headers headers, std::string body) {
  ResponseScript script;
  Step step = Make(Step::Kind::kRespond, 0, std::move(body));
  step.status = status;
  step.headers = std::move(headers);
  script.steps.push_back(std::move(step));
  return script;
}

ResponseScript BuildChatScript(const Wire& wire, const ChatParams& params, const Settings& settings,
                               const Completion& completion) {
  const ResponseMeta meta = wire.NewMeta(params);
  const Timings timings = PlanTimings(settings, completion);
  const double interval =
      settings.tokens_per_second > 0 ? 1000.0 / settings.tokens_per_second : 0.0;
  double ttft = FirstTokenMs(settings, completion.prompt_tokens);
  std::size_t longest = 0;
  for (const auto& choice : completion.choices) {
    longest = std::max(longest, static_cast<std::size_t>(choice.TokenCount()));
  }
  const double end = ttft + interval * static_cast<double>(longest);

  if (!params.stream) {
    return NonStreamScript(wire, settings, wire.ChatBody(meta, completion, timings), ttft, end);
  }
  // Errors found before generation are plain JSON even for a stream (as llama-server does).
  if (settings.fault == Fault::kStatus) {
    return ErrorStatusScript(wire, settings.status, settings.message, ttft);
  }
  ResponseScript script;
  if (settings.fault == Fault::kResetBeforeFirstByte) {
    script.steps.push_back(Make(Step::Kind::kReset, ttft));
    return script;
  }

  // All frames with their times; choices interleave token by token (as llama does for n>1).
  std::vector<ChoiceFrames> choices;
  for (std::size_t i = 0; i < completion.choices.size(); ++i) {
    choices.push_back(wire.StreamFrames(meta, completion.choices[i], static_cast<int>(i), timings));
  }
  std::vector<TimedFrame> frames;
  for (auto& choice : choices) frames.push_back({ttft, std::move(choice.role)});
  for (std::size_t k = 0; k < longest; ++k) {
    for (auto& choice : choices) {
      if (k < choice.tokens.size()) {
        frames.push_back(
            {ttft + interval * static_cast<double>(k + 1), std::move(choice.tokens[k])});
      }
    }
  }
  const std::size_t content_frames = frames.size();
  for (auto& choice : choices) frames.push_back({end, std::move(choice.finish)});
  if (params.include_usage) {
    for (auto& frame : wire.UsageFrames(meta, completion, timings)) {
      frames.push_back({end, std::move(frame)});
    }
  }
  frames.push_back({end, wire.DoneFrame()});

  // Where a mid-stream fault strikes: after N frames, at the latest before the finish chunk.
  const bool stall_first = settings.fault == Fault::kStall && settings.stall_after_chunks < 0;
  const int fault_after =
      settings.fault == Fault::kStall ? settings.stall_after_chunks : settings.after_chunks;
  const std::size_t fault_at =
      std::min(static_cast<std::size_t>(std::max(fault_after, 0)), content_frames);
  double shift = stall_first ? settings.stall_ms : 0.0;

  Step start = Make(Step::Kind::kStartStream, ttft + shift);
  start.headers = wire.StreamHeaders();
  script.steps.push_back(std::move(start));
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (i == fault_at && !stall_first) {
      const double now = (i == 0 ? ttft : frames[i - 1].at_ms) + shift;
      switch (settings.fault) {
        case Fault::kResetAfterFirstByte:
          script.steps.push_back(Make(Step::Kind::kReset, now));
          return script;
        case Fault::kErrorEvent:
          script.steps.push_back(
              Make(Step::Kind::kChunk, now, wire.ErrorEventFrame(settings.message)));
          script.steps.push_back(Make(Step::Kind::kFinish, now));
          return script;
        case Fault::kTruncate:
          script.steps.push_back(Make(Step::Kind::kFinish, now));
          return script;
        case Fault::kMalformedChunk:
          script.steps.push_back(Make(Step::Kind::kChunk, now, std::string(kMalformedFrame)));
          break;
        case Fault::kStall:
          shift += settings.stall_ms;
          break;
        default:
          break;
      }
    }
    script.steps.push_back(
        Make(Step::Kind::kChunk, frames[i].at_ms + shift, std::move(frames[i].data)));
  }
  script.steps.push_back(Make(Step::Kind::kFinish, end + shift));
  return script;
}

}  // namespace lanewise::sim
