// OpenAiCompatibleLane: the adapter for every server speaking OpenAI's chat-completions
// API: llama.cpp server, Ollama's /v1, vLLM, LM Studio, and OpenAI itself.
//
// The canonical request already is OpenAI-shaped, so the request goes out as it came in
// (unknown fields included) with `model` set to the lane's upstream model. Streams are
// relayed event by event; every chunk is checked to be JSON, a `{"error":...}` event
// becomes a terminal error, and a stream that ends without `[DONE]` is reported as
// truncated, never as complete.
#pragma once

#include "http/client.h"
#include "lanes/lane.h"

namespace lanewise::lanes {

class OpenAiCompatibleLane final : public Lane {
 public:
  explicit OpenAiCompatibleLane(config::LaneConfig config);

  const config::LaneConfig& config() const override { return config_; }
  boost::asio::awaitable<core::Result<core::ChatResponse>> Complete(
      const core::ChatRequest& request, const std::string& upstream_model,
      const CallContext& context) override;
  boost::asio::awaitable<core::Result<std::unique_ptr<ChatStream>>> Stream(
      const core::ChatRequest& request, const std::string& upstream_model,
      const CallContext& context) override;
  boost::asio::awaitable<core::Status> Probe(http::Millis timeout) override;

 private:
  http::ClientRequest BuildRequest(const core::ChatRequest& request,
                                   const std::string& upstream_model,
                                   const CallContext& context) const;
  core::Status WithLaneName(core::Status status) const;

  config::LaneConfig config_;
  http::ClientDeadlines deadlines_;
  std::unique_ptr<http::Client> client_;
};

}  // namespace lanewise::lanes
