// SseChatStream: reads an OpenAI-style SSE body from an upstream exchange and hands out
// ChatEvents as they arrive (no buffering beyond the current network read).
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "http/client.h"
#include "http/sse_parser.h"
#include "lanes/lane.h"

namespace lanewise::lanes {

class SseChatStream final : public ChatStream {
 public:
  struct Options {
    std::string client_model;         // chunks carry this model name (empty: unchanged)
    std::size_t max_event_bytes = 0;  // a larger event ends the stream with an error; 0: none
  };
  SseChatStream(std::unique_ptr<http::Exchange> exchange, std::string lane_name, Options options);
  boost::asio::awaitable<core::ChatEvent> Next() override;
  bool HasBufferedEvent() const override { return !ready_.empty(); }
  std::optional<core::ChatEvent> TryNext() override;

 private:
  void Convert(http::SseEvent& event);
  void Terminate(core::ChatEvent event);

  std::unique_ptr<http::Exchange> exchange_;
  std::string lane_name_;
  std::string client_model_;
  http::SseParser parser_;
  std::vector<http::SseEvent> parsed_;
  std::deque<core::ChatEvent> ready_;
  bool terminated_ = false;
  core::ChatEvent terminal_;
};

}  // namespace lanewise::lanes
