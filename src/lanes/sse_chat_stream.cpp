#include "lanes/sse_chat_stream.h"

#include "lanes/answer_scan.h"
#include "lanes/upstream_error.h"

namespace lanewise::lanes {

SseChatStream::SseChatStream(std::unique_ptr<http::Exchange> exchange, std::string lane_name,
                             Options options)
    : exchange_(std::move(exchange)),
      lane_name_(std::move(lane_name)),
      client_model_(std::move(options.client_model)),
      parser_(options.max_event_bytes) {}

void SseChatStream::Terminate(core::ChatEvent event) {
  terminated_ = true;
  terminal_ = event;
  ready_.push_back(std::move(event));
}

void SseChatStream::Convert(http::SseEvent& event) {
  if (terminated_) return;
  if (event.data == "[DONE]") {
    Terminate(core::ChatEvent::Done());
    return;
  }
  // Validated in one pass (no DOM), an error object spotted, the model name rewritten in
  // place when it differs.
  const AnswerShape shape = ReadAnswer(event.data, client_model_);
  if (!shape.object) {
    Terminate(core::ChatEvent::Error(core::Status(
        core::StatusCode::kUpstreamProtocol,
        "lane '" + lane_name_ + "' sent a malformed stream event (" + shape.problem + ")",
        "upstream_malformed_event")));
    return;
  }
  if (shape.has_error) {
    Terminate(core::ChatEvent::Error(UpstreamStreamError(event.data, lane_name_)));
    return;
  }
  ready_.push_back(core::ChatEvent::Chunk(std::move(event.data)));
}

std::optional<core::ChatEvent> SseChatStream::TryNext() {
  if (ready_.empty()) {
    if (terminated_) return terminal_;
    return std::nullopt;
  }
  core::ChatEvent next = std::move(ready_.front());
  ready_.pop_front();
  return next;
}

boost::asio::awaitable<core::ChatEvent> SseChatStream::Next() {
  while (ready_.empty()) {
    if (terminated_) co_return terminal_;
    auto piece = co_await exchange_->ReadSome();
    if (!piece.ok()) {
      core::Status status = piece.status();
      Terminate(core::ChatEvent::Error(
          core::Status(status.code(), "lane '" + lane_name_ + "' stream broke: " + status.message(),
                       status.reason())));
      exchange_->Cancel();
      break;
    }
    if (piece->empty()) {
      Terminate(core::ChatEvent::Error(core::Unavailable(
          "lane '" + lane_name_ + "' ended the stream without [DONE]", "upstream_truncated")));
      break;
    }
    parsed_.clear();
    parser_.Feed(*piece, parsed_);
    for (auto& event : parsed_) Convert(event);
    if (parser_.overflowed() && !terminated_) {
      Terminate(core::ChatEvent::Error(core::Status(
          core::StatusCode::kUpstreamProtocol,
          "lane '" + lane_name_ + "' sent a stream event larger than " +
              std::to_string(parser_.max_event_bytes()) + " bytes (lanes[].max_event_bytes)",
          "upstream_event_too_large")));
    }
    if (terminated_ && !exchange_->done()) {
      // After [DONE] only the body's last chunk is due: the connection can be reused.
      // After an error event the rest is not worth reading.
      if (terminal_.kind == core::ChatEvent::Kind::kDone) {
        exchange_->EndReached();
      } else {
        exchange_->Cancel();
      }
    }
  }
  core::ChatEvent next = std::move(ready_.front());
  ready_.pop_front();
  co_return next;
}

}  // namespace lanewise::lanes
