// MeteredStream: a served lane stream that reports, when it ends, how long the answer took
// and how many tokens it carried: to the lane's latency model (LaneHealth::RecordTiming)
// and to the attempt's record. It also ends the lane's in-flight call (LaneHealth::EndCall)
// exactly once: at the terminal event, or when dropped before it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "lanes/lane.h"
#include "lanes/lane_health.h"
#include "route/execution_record.h"

namespace lanewise::route {

// Whether a chunk's JSON carries generated text (a non-empty "content" string): one token
// per such chunk, as llama.cpp's server and OpenAI stream them.
bool ChunkCarriesContent(const std::string& chunk_json);

class MeteredStream final : public lanes::ChatStream {
 public:
  using Clock = std::chrono::steady_clock;
  // `sample` holds the prompt tokens, the time to first event and whether the call queued;
  // `record` (may be null) and its attempt `attempt_index` outlive the stream.
  MeteredStream(std::unique_ptr<lanes::ChatStream> inner, std::shared_ptr<lanes::LaneHealth> health,
                std::string lane, lanes::LatencySample sample, Clock::time_point start,
                ExecutionRecord* record, std::size_t attempt_index, int output_tokens_so_far,
                bool gated = false);
  ~MeteredStream() override;
  MeteredStream(const MeteredStream&) = delete;
  MeteredStream& operator=(const MeteredStream&) = delete;

  boost::asio::awaitable<core::ChatEvent> Next() override;
  bool HasBufferedEvent() const override { return inner_->HasBufferedEvent(); }
  std::optional<core::ChatEvent> TryNext() override;

 private:
  core::ChatEvent Meter(core::ChatEvent event);
  void End(bool clean);

  std::unique_ptr<lanes::ChatStream> inner_;
  std::shared_ptr<lanes::LaneHealth> health_;
  std::string lane_;
  lanes::LatencySample sample_;
  Clock::time_point start_;
  ExecutionRecord* record_;
  std::size_t attempt_index_;
  int output_tokens_;
  bool gated_;  // the call holds a slot of the lane's gate
  bool ended_ = false;
};

}  // namespace lanewise::route
