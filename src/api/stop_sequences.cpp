#include "api/stop_sequences.h"

#include <algorithm>

namespace lanewise::api {

StopSequenceMatcher::StopSequenceMatcher(std::vector<std::string> sequences) {
  for (auto& s : sequences) {
    if (!s.empty()) sequences_.push_back(std::move(s));
  }
}

std::string StopSequenceMatcher::Feed(std::string_view text) {
  if (hit_) return {};
  held_.append(text);
  // The earliest hit wins; at one position, the sequence listed first.
  std::size_t best = std::string::npos;
  const std::string* best_sequence = nullptr;
  for (const auto& sequence : sequences_) {
    const std::size_t at = held_.find(sequence);
    if (at < best) {
      best = at;
      best_sequence = &sequence;
    }
  }
  if (best_sequence != nullptr) {
    hit_ = *best_sequence;
    std::string out = held_.substr(0, best);
    held_.clear();
    return out;
  }
  // Hold back the longest tail that is a proper prefix of some sequence.
  std::size_t keep_from = held_.size();
  for (const auto& sequence : sequences_) {
    const std::size_t longest = std::min(sequence.size() - 1, held_.size());
    for (std::size_t length = longest; length > 0; --length) {
      const std::size_t from = held_.size() - length;
      if (from >= keep_from) break;
      if (std::string_view(held_).substr(from) == std::string_view(sequence).substr(0, length)) {
        keep_from = from;
        break;
      }
    }
  }
  std::string out = held_.substr(0, keep_from);
  held_.erase(0, keep_from);
  return out;
}

std::string StopSequenceMatcher::Flush() {
  if (hit_) return {};
  std::string out = std::move(held_);
  held_.clear();
  return out;
}

std::string ApplyStopSequences(std::string_view text, const std::vector<std::string>& sequences,
                               std::optional<std::string>& hit) {
  StopSequenceMatcher matcher(sequences);
  std::string out = matcher.Feed(text);
  out += matcher.Flush();
  hit = matcher.hit();
  return out;
}

}  // namespace lanewise::api
