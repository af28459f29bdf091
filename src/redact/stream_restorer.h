// StreamRestorer: restores placeholders in a streamed answer, chunk by chunk.
//
// A placeholder may be split across chunks ("[PERS" + "ON_3fa8" + "5f64]"). For every
// text channel of the answer (per choice: content, reasoning_content, refusal, each tool
// call's arguments, function_call arguments) the restorer holds back only the trailing
// bytes that could still become one of the vault's placeholders, and releases them as
// soon as they cannot (or the choice finishes). Everything else goes out in the chunk it
// arrived in, so time to first byte is unchanged. Token logprobs entries are held back and
// restored the same way (logprobs_restorer.h).
//
// One per stream; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/json/object.hpp>

#include "redact/logprobs_restorer.h"
#include "redact/placeholder_vault.h"

namespace lanewise::redact {

class StreamRestorer {
 public:
  explicit StreamRestorer(std::shared_ptr<const PlaceholderVault> vault);

  // The chunk (chat.completion.chunk JSON) to forward instead of `chunk`. A chunk that
  // is not a JSON object with choices is forwarded unchanged.
  std::string OnChunk(std::string chunk);

  // At the clean end of the stream: one more chunk carrying text still held back (only
  // when the lane never finished a choice), or nothing.
  std::optional<std::string> Finish();

  std::size_t held_bytes() const;

 private:
  // (choice index, channel): channel is "content", "reasoning_content", "refusal",
  // "function_call" or "tool:<index>".
  using ChannelKey = std::pair<std::int64_t, std::string>;

  std::string Release(const ChannelKey& key, std::string_view piece);
  // The choice's logprobs entries released now (held back while they may be a placeholder).
  void RestoreLogprobsOf(std::int64_t index, boost::json::object& choice, bool finished);

  std::shared_ptr<const PlaceholderVault> vault_;
  std::map<ChannelKey, std::string> held_;
  // (choice index, "content" or "refusal"): token entries held back.
  std::map<ChannelKey, std::unique_ptr<TokenEntryStream>> token_streams_;
  std::string last_id_;
  std::string last_model_;
  std::int64_t last_created_ = 0;
};

}  // namespace lanewise::redact
