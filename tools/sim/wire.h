// Wire: renders a Completion in one upstream's exact wire format (key order, headers,
// error shapes). Two flavours: llama.cpp's llama-server and OpenAI's own API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "tools/sim/chat_params.h"
#include "tools/sim/completion.h"
#include "tools/sim/sim_settings.h"

namespace lanewise::sim {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Per response: fixed for every chunk of a stream.
struct ResponseMeta {
  std::string id;
  std::int64_t created = 0;
  std::string model;
  bool include_usage = false;
  bool logprobs = false;
  int top_logprobs = 0;
};

struct Timings {
  int prompt_n = 0;
  double prompt_ms = 0;
  int predicted_n = 0;
  double predicted_ms = 0;
};

// The SSE frames ("data: ...\n\n") of one choice of a stream.
struct ChoiceFrames {
  std::string role;
  std::vector<std::string> tokens;  // content or tool-call argument pieces
  std::string finish;
};

struct ErrorReply {
  int status = 500;
  std::string body;
};

class Wire {
 public:
  virtual ~Wire() = default;

  virtual ResponseMeta NewMeta(const ChatParams& params) const = 0;
  virtual std::string ChatBody(const ResponseMeta& meta, const Completion& completion,
                               const Timings& timings) const = 0;
  // `with_timings`: llama puts timings on the finish chunk when no usage chunk follows.
  virtual ChoiceFrames StreamFrames(const ResponseMeta& meta, const ChoicePlan& choice, int index,
                                    const Timings& timings) const = 0;
  // Frames after the finish chunks when include_usage is set (llama: one per choice).
  virtual std::vector<std::string> UsageFrames(const ResponseMeta& meta,
                                               const Completion& completion,
                                               const Timings& timings) const = 0;
  std::string DoneFrame() const { return "data: [DONE]\n\n"; }
  virtual std::string ErrorEventFrame(std::string_view message) const = 0;

  // An error status with this flavour's body (for faults; `message` may be empty).
  virtual ErrorReply Error(int status, std::string_view message) const = 0;
  // A request that could not be served (bad JSON, missing messages, bad sim settings).
  virtual ErrorReply RequestError(const core::Status& status) const = 0;
  virtual ErrorReply NotFound(std::string_view method, std::string_view path) const = 0;
  virtual std::string ModelsBody() const = 0;

  virtual Headers JsonHeaders(bool error) const = 0;
  virtual Headers StreamHeaders() const = 0;
};

std::unique_ptr<Wire> MakeWire(Flavor flavor, std::string model_alias);

// "data: <json>\n\n"
std::string SseFrame(std::string_view json);

}  // namespace lanewise::sim
