#include "route/restoring_stream.h"

namespace lanewise::route {

RestoringStream::RestoringStream(std::unique_ptr<lanes::ChatStream> lane_stream,
                                 std::shared_ptr<const redact::PlaceholderVault> vault)
    : lane_stream_(std::move(lane_stream)), restorer_(std::move(vault)) {}

core::ChatEvent RestoringStream::Restore(core::ChatEvent event) {
  switch (event.kind) {
    case core::ChatEvent::Kind::kChunk:
      event.data = restorer_.OnChunk(std::move(event.data));
      break;
    case core::ChatEvent::Kind::kDone:
      if (auto last = restorer_.Finish()) {
        queued_ = std::move(event);
        return core::ChatEvent::Chunk(std::move(*last));
      }
      break;
    case core::ChatEvent::Kind::kError:
      break;  // what was held back is a fragment of a placeholder: nothing to restore
  }
  return event;
}

std::optional<core::ChatEvent> RestoringStream::TryNext() {
  if (queued_.has_value()) {
    core::ChatEvent event = std::move(*queued_);
    queued_.reset();
    return event;
  }
  std::optional<core::ChatEvent> event = lane_stream_->TryNext();
  if (!event.has_value()) return std::nullopt;
  return Restore(std::move(*event));
}

boost::asio::awaitable<core::ChatEvent> RestoringStream::Next() {
  if (std::optional<core::ChatEvent> ready = TryNext()) co_return std::move(*ready);
  co_return Restore(co_await lane_stream_->Next());
}

bool RestoringStream::HasBufferedEvent() const {
  return queued_.has_value() || lane_stream_->HasBufferedEvent();
}

}  // namespace lanewise::route
