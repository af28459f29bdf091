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

boost::asio::awaitable<core::ChatEvent> ReplayStream::Next() {
  if (terminal_.has_value()) co_return *terminal_;
  core::ChatEvent event;
  if (!events_.empty()) {
    event = std::move(events_.front());
    events_.pop_front();
  } else if (rest_ != nullptr) {
    event = co_await rest_->Next();
  } else {
    event =
        core::ChatEvent::Error(core::Internal("replayed stream ended without a terminal event"));
  }
  if (event.kind != core::ChatEvent::Kind::kChunk) terminal_ = event;
  co_return Clean(std::move(event));
}

bool ReplayStream::HasBufferedEvent() const {
  return terminal_.has_value() || !events_.empty() ||
         (rest_ != nullptr && rest_->HasBufferedEvent());
}

}  // namespace lanewise::route
