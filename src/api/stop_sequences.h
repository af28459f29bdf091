// Anthropic `stop_sequences`, applied by the gateway.
//
// An OpenAI-compatible lane (llama.cpp's server included) stops at a `stop` string but
// does not say which one it hit, nor whether it hit one at all (finish_reason is "stop"
// for the end of turn too), and drops the string from the text. Anthropic clients must
// get stop_reason "stop_sequence" and the sequence itself, so the Anthropic front keeps
// the sequences away from the lane and finds them in the generated text: a stream stops
// (and the lane is cancelled) at the first hit, a whole answer is cut there.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lanewise::api {

class StopSequenceMatcher {
 public:
  explicit StopSequenceMatcher(std::vector<std::string> sequences);

  bool empty() const { return sequences_.empty(); }
  // Feeds generated text; returns what may be passed on now. Text that could be the start
  // of a sequence is held back until it can tell. After a hit, returns the text before it
  // and hit() names the sequence; later calls return nothing.
  std::string Feed(std::string_view text);
  // The end of generation: the text still held back (it was no sequence after all).
  std::string Flush();
  const std::optional<std::string>& hit() const { return hit_; }

 private:
  std::vector<std::string> sequences_;
  std::string held_;
  std::optional<std::string> hit_;
};

// A whole text: cut at the first sequence found; `hit` gets it.
std::string ApplyStopSequences(std::string_view text, const std::vector<std::string>& sequences,
                               std::optional<std::string>& hit);

}  // namespace lanewise::api
