// CascadeJudge: how confident a cascade's first lane is in its answer, and whether the
// request escalates (docs/policy.md, "Cascades").
//
// Confidence is the geometric mean of the answer's token probabilities, exp(mean
// logprob), over every `logprobs.content` entry of every choice (llama.cpp's server and
// OpenAI give the same shape, whole or per stream chunk). Two signals escalate whatever
// the confidence, when the settings say so: a refusal (OpenAI's `refusal` field, or an
// answer that opens with a refusal phrase) and truncation (finish_reason "length").
// An answer without logprobs (a tool call, a lane that gives none) is "unscored".
//
// Fed a whole completion or its stream chunks, one at a time; not thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/cascade_settings.h"
#include "core/chat_request.h"

namespace lanewise::route {

struct CascadeVerdict {
  double confidence = -1.0;  // -1: no logprobs
  int scored_tokens = 0;
  bool refusal = false;
  bool truncated = false;
  bool escalate = false;
  // Why it escalates: low_confidence | refusal | truncated | unscored; empty when kept.
  std::string reason;
};

class CascadeJudge {
 public:
  void AddCompletion(const boost::json::object& completion);  // chat.completion
  void AddChunk(const boost::json::object& chunk);            // chat.completion.chunk
  CascadeVerdict Verdict(const core::CascadeSettings& settings) const;

 private:
  void AddChoices(const boost::json::object& answer, std::string_view body_key);
  void AddLogprobs(const boost::json::value* logprobs);
  void AddText(std::string_view text);

  double logprob_sum_ = 0.0;
  int tokens_ = 0;
  std::string head_;  // the first bytes of the answer's text, for refusal phrases
  bool refusal_field_ = false;
  bool truncated_ = false;
};

// Whether the client asked for logprobs itself (then they stay in the answer).
bool ClientAskedLogprobs(const core::ChatRequest& request);

// Removes `logprobs` from every choice of a completion or chunk; true when any was there.
bool StripLogprobs(boost::json::object& completion_or_chunk);

// Whether `text` opens like a refusal ("I'm sorry, but I can't ...").
bool OpensWithRefusal(std::string_view text);

}  // namespace lanewise::route
