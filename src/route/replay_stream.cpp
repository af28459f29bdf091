#include "route/replay_stream.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "route/cascade_judge.h"

namespace lanewise::route {

std::string StripChunkLogprobs(std::string json) {
  if (json.find("\"logprobs\"") == std::string::npos) return json;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(json, ec);
  if (ec || !parsed.is_object()) return json;
  if (!StripLogprobs(parsed.get_object())) return json;
  return boost::json::serialize(parsed);
}

ReplayStream::ReplayStream(std::deque<core::ChatEvent> events,
                           std::unique_ptr<lanes::ChatStream> rest, bool strip_logprobs)
    : events_(std::move(events)), rest_(std::move(rest)), strip_logprobs_(strip_logprobs) {}

core::ChatEvent ReplayStream::Clean(core::ChatEvent event) const {
  if (strip_logprobs_ && event.kind == core::ChatEvent::Kind::kChunk) {
    event.data = StripChunkLogprobs(std::move(event.data));
  }
  return event;
}

core::ChatEvent ReplayStream::Hand(core::ChatEvent event) {
  if (event.kind != core::ChatEvent::Kind::kChunk) terminal_ = event;
  return Clean(std::move(event));
}

std::optional<core::ChatEvent> ReplayStream::TryNext() {
  if (terminal_.has_value()) return *terminal_;
  if (!events_.empty()) {
    core::ChatEvent event = std::move(events_.front());
    events_.pop_front();
    return Hand(std::move(event));
  }
  if (rest_ == nullptr) {
    return Hand(
        core::ChatEvent::Error(core::Internal("replayed stream ended without a terminal event")));
  }
  std::optional<core::ChatEvent> event = rest_->TryNext();
  if (!event.has_value()) return std::nullopt;
  return Hand(std::move(*event));
}

boost::asio::awaitable<core::ChatEvent> ReplayStream::Next() {
  if (std::optional<core::ChatEvent> ready = TryNext()) co_return std::move(*ready);
  co_return Hand(co_await rest_->Next());
}

bool ReplayStream::HasBufferedEvent() const {
  return terminal_.has_value() || !events_.empty() ||
         (rest_ != nullptr && rest_->HasBufferedEvent());
}

}  // namespace lanewise::route
