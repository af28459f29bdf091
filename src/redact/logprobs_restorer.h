// Restoring token log-probabilities: the token-level view of an answer whose text was
// restored (restorer.h, stream_restorer.h) gets the same values back.
//
// A placeholder the lane wrote is usually several tokens ("[", "EMAIL", "_ADDRESS", "_3f",
// "a85f64", "]"). In `logprobs.content` (and `logprobs.refusal`) the first token of a
// placeholder carries the restored value (with whatever text of its own came before), the
// tokens inside it become empty, and the last one keeps what followed the placeholder;
// each changed entry's `bytes` are the UTF-8 bytes of its new token. `top_logprobs`
// alternatives are restored where they hold a whole placeholder. Log-probabilities are
// left as the lane computed them.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "redact/placeholder_vault.h"

namespace lanewise::redact {

// Restores a choice's `logprobs` object in place (its `content` and `refusal` arrays).
void RestoreLogprobs(boost::json::object& logprobs, const PlaceholderVault& vault);

// Restores one array of token entries in place, as one text.
void RestoreTokenEntries(boost::json::array& entries, const PlaceholderVault& vault);

// The streamed form: entries arrive a few per chunk. Entries whose text could still be
// part of a placeholder are held back (at most a placeholder's worth), the rest are
// released restored. One per choice and array; not thread-safe.
class TokenEntryStream {
 public:
  explicit TokenEntryStream(const PlaceholderVault& vault) : vault_(vault) {}

  // The entries to forward now, given the ones that just arrived.
  boost::json::array Push(const boost::json::array& arrived);
  // Everything still held, restored (the choice finished or the stream ended).
  boost::json::array Flush();
  bool empty() const { return held_.empty(); }

 private:
  const PlaceholderVault& vault_;
  boost::json::array held_;
};

}  // namespace lanewise::redact
