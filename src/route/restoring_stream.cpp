#include "route/restoring_stream.h"

namespace lanewise::route {

RestoringStream::RestoringStream(std::unique_ptr<lanes::ChatStream> lane_stream,
                                 std::shared_ptr<const redact::PlaceholderVault> vault)
    : lane_stream_(std::move(lane_stream)), restorer_(std::move(vault)) {}

boost::asio::awaitable<core::ChatEvent> RestoringStream::Next() {
  if (queued_.has_value()) {
    core::ChatEvent event = std::move(*queued_);
    queued_.reset();
    co_return event;
  }
  core::ChatEvent event = co_await lane_stream_->Next();
  switch (event.kind) {
    case core::ChatEvent::Kind::kChunk:
      event.data = restorer_.OnChunk(std::move(event.data));
      break;
    case core::ChatEvent::Kind::kDone:
      if (auto last = restorer_.Finish()) {
        queued_ = std::move(event);
        co_return core::ChatEvent::Chunk(std::move(*last));
      }
      break;
    case core::ChatEvent::Kind::kError:
      break;  // what was held back is a fragment of a placeholder: nothing to restore
  }
  co_return event;
}

bool RestoringStream::HasBufferedEvent() const {
  return queued_.has_value() || lane_stream_->HasBufferedEvent();
}

}  // namespace lanewise::route
