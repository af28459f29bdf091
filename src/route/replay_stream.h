// ReplayStream: events already received from a lane (a cascade's held answer, or the
// first event of an attempt), then, when there is one, the rest of the lane's stream.
// With `strip_logprobs`, every chunk loses its choices' `logprobs` (the gateway asked for
// them to judge the answer; the client did not).
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "lanes/lane.h"

namespace lanewise::route {

class ReplayStream final : public lanes::ChatStream {
 public:
  // `rest` may be null: then `events` must end with a terminal event.
  ReplayStream(std::deque<core::ChatEvent> events, std::unique_ptr<lanes::ChatStream> rest,
               bool strip_logprobs);
  boost::asio::awaitable<core::ChatEvent> Next() override;
  bool HasBufferedEvent() const override;
  std::optional<core::ChatEvent> TryNext() override;

 private:
  core::ChatEvent Clean(core::ChatEvent event) const;
  // Remembers a terminal event, then cleans it.
  core::ChatEvent Hand(core::ChatEvent event);

  std::deque<core::ChatEvent> events_;
  std::unique_ptr<lanes::ChatStream> rest_;
  bool strip_logprobs_;
  std::optional<core::ChatEvent> terminal_;  // repeated once reached
};

// The chunk's JSON text without its choices' logprobs (unchanged when it has none or is
// not JSON).
std::string StripChunkLogprobs(std::string json);

}  // namespace lanewise::route
