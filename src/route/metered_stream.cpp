#include "route/metered_stream.h"

namespace lanewise::route {

bool ChunkCarriesContent(const std::string& chunk_json) {
  // Searched from its 'c' (rare in JSON) rather than its quote (memchr would stop at every
  // string of the chunk), then the quote before it checked.
  static constexpr std::string_view kKey = "content\":\"";
  const std::string_view text(chunk_json);
  for (std::size_t at = text.find(kKey); at != std::string_view::npos;
       at = text.find(kKey, at + 1)) {
    if (at == 0 || text[at - 1] != '"') continue;
    const std::size_t value = at + kKey.size();
    return value < text.size() && text[value] != '"';
  }
  return false;
}

MeteredStream::MeteredStream(std::unique_ptr<lanes::ChatStream> inner,
                             std::shared_ptr<lanes::LaneHealth> health, std::string lane,
                             lanes::LatencySample sample, Clock::time_point start,
                             ExecutionRecord* record, std::size_t attempt_index,
                             int output_tokens_so_far, bool gated)
    : inner_(std::move(inner)),
      health_(std::move(health)),
      lane_(std::move(lane)),
      sample_(sample),
      start_(start),
      record_(record),
      attempt_index_(attempt_index),
      output_tokens_(output_tokens_so_far),
      gated_(gated) {}

MeteredStream::~MeteredStream() {
  End(false);
}

void MeteredStream::End(bool clean) {
  if (ended_) return;
  ended_ = true;
  if (health_ != nullptr) health_->EndCall(lane_, gated_);
  if (!clean) return;
  sample_.total_ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  sample_.output_tokens = output_tokens_;
  if (health_ != nullptr) health_->RecordTiming(lane_, sample_);
  if (record_ != nullptr && attempt_index_ < record_->attempts.size()) {
    record_->attempts[attempt_index_].total_ms = sample_.total_ms;
  }
}

core::ChatEvent MeteredStream::Meter(core::ChatEvent event) {
  if (event.kind == core::ChatEvent::Kind::kChunk) {
    if (ChunkCarriesContent(event.data)) ++output_tokens_;
  } else {
    End(event.kind == core::ChatEvent::Kind::kDone);
  }
  return event;
}

boost::asio::awaitable<core::ChatEvent> MeteredStream::Next() {
  co_return Meter(co_await inner_->Next());
}

std::optional<core::ChatEvent> MeteredStream::TryNext() {
  std::optional<core::ChatEvent> event = inner_->TryNext();
  if (!event.has_value()) return std::nullopt;
  return Meter(std::move(*event));
}

}  // namespace lanewise::route
