// RestoringStream: a lane's stream with the request's placeholders restored in every
// chunk (redact::StreamRestorer); text held back at a clean end goes out as one more
// chunk before kDone.
#pragma once

#include <memory>
#include <optional>

#include "lanes/lane.h"
#include "redact/stream_restorer.h"

namespace lanewise::route {

class RestoringStream final : public lanes::ChatStream {
 public:
  RestoringStream(std::unique_ptr<lanes::ChatStream> lane_stream,
                  std::shared_ptr<const redact::PlaceholderVault> vault);
  boost::asio::awaitable<core::ChatEvent> Next() override;
  bool HasBufferedEvent() const override;
  std::optional<core::ChatEvent> TryNext() override;

 private:
  // Restores a chunk; at the end, what was held back comes first and [DONE] after it.
  core::ChatEvent Restore(core::ChatEvent event);
  std::unique_ptr<lanes::ChatStream> lane_stream_;
  redact::StreamRestorer restorer_;
  std::optional<core::ChatEvent> queued_;  // kDone after the final held-back chunk
};

}  // namespace lanewise::route
