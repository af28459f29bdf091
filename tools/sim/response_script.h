// ResponseScript: the exact sequence of socket actions (with times) that answers one
// request, faults included. Built without I/O, so the wire shape of every fault is
// testable without sockets; the Simulator then plays it on a connection.
#pragma once

#include <string>
#include <vector>

#include "tools/sim/completion.h"
#include "tools/sim/sim_settings.h"
#include "tools/sim/wire.h"

namespace lanewise::sim {

struct Step {
  enum class Kind {
    kRespond,      // a whole response: status, headers, data = body
    kStartStream,  // status 200 + headers of a chunked response
    kChunk,        // one HTTP chunk: data
    kFinish,       // the last (zero) chunk
    kRaw,          // bytes without HTTP framing: data
    kReset,        // TCP reset
  };
  Kind kind = Kind::kRespond;
  double at_ms = 0;  // from the start of the request
  int status = 200;
  Headers headers;
  std::string data;
};

struct ResponseScript {
  std::vector<Step> steps;
};

ResponseScript BuildChatScript(const Wire& wire, const ChatParams& params, const Settings& settings,
                               const Completion& completion);

// Every step `delay_ms` later (a request that waited for a generation slot).
void DelayScript(ResponseScript& script, double delay_ms);
// When the script's last step happens (ms from the start of the request).
double ScriptEndMs(const ResponseScript& script);

// A complete JSON response (used for request errors and plain endpoints).
ResponseScript JsonResponseScript(int status, Headers headers, std::string body);

// The frame a malformed_chunk fault inserts: an SSE event whose JSON is cut short.
inline constexpr std::string_view kMalformedFrame = "data: {\"choices\":[{\"delta\":\n\n";

}  // namespace lanewise::sim
