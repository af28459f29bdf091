#include "lanes/openai_compatible_lane.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "lanes/model_name.h"
#include "lanes/sse_chat_stream.h"
#include "lanes/upstream_error.h"

namespace lanewise::lanes {
namespace {

namespace asio = boost::asio;

http::UpstreamTarget TargetOf(const config::LaneConfig& lane) {
  http::UpstreamTarget target;
  target.host = lane.endpoint.host;
  target.port = lane.endpoint.port;
  target.tls = lane.endpoint.tls();
  target.verify_tls = lane.tls.verify;
  target.ca_file = lane.tls.ca_file;
  return target;
}

// Parsed to be checked, and re-serialised only when the model name must change; the DOM
// lives in a stack buffer (not in a coroutine frame, which would put it on the heap again).
bool CheckCompletion(std::string& body, const std::string& client_model) {
  unsigned char scratch[8192];
  boost::json::monotonic_resource arena(scratch, sizeof scratch);
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec, &arena);
  if (ec || !doc.is_object() || !doc.get_object().contains("choices")) return false;
  ReplaceModel(doc.get_object(), client_model, body);
  return true;
}

}  // namespace

OpenAiCompatibleLane::OpenAiCompatibleLane(config::LaneConfig config)
    : config_(std::move(config)), client_(std::make_unique<http::Client>(TargetOf(config_))) {
  deadlines_.connect = config_.deadlines.connect;
  deadlines_.first_byte = config_.deadlines.first_byte;
  deadlines_.idle = config_.deadlines.idle;
  deadlines_.total = config_.deadlines.total;
  client_->set_max_idle_per_thread(static_cast<std::size_t>(config_.max_idle_connections));
}

core::Status OpenAiCompatibleLane::WithLaneName(core::Status status) const {
  if (status.code() == core::StatusCode::kUpstreamError ||
      status.code() == core::StatusCode::kCancelled) {
    return status;
  }
  return core::Status(status.code(), "lane '" + config_.name + "': " + status.message(),
                      status.reason());
}

http::ClientRequest OpenAiCompatibleLane::BuildRequest(const core::ChatRequest& request,
                                                       const std::string& upstream_model,
                                                       const CallContext& context) const {
  boost::json::object body = request.body;
  body["model"] = upstream_model;
  http::ClientRequest out;
  out.method = "POST";
  out.target = config_.endpoint.path_prefix + "/chat/completions";
  out.headers.emplace_back("Content-Type", "application/json");
  out.headers.emplace_back("Accept", request.stream ? "text/event-stream" : "application/json");
  out.headers.emplace_back("User-Agent", "lanewise/0.1");
  if (!context.request_id.empty()) out.headers.emplace_back("X-Request-Id", context.request_id);
  if (!config_.api_key.empty()) {
    out.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  }
  out.body = boost::json::serialize(body);
  if (context.request_bytes != nullptr) *context.request_bytes = out.body.size();
  return out;
}

asio::awaitable<core::Result<core::ChatResponse>> OpenAiCompatibleLane::Complete(
    const core::ChatRequest& request, const std::string& upstream_model,
    const CallContext& context) {
  auto started = co_await client_->Start(BuildRequest(request, upstream_model, context), deadlines_,
                                         context.cancel);
  if (!started.ok()) co_return WithLaneName(started.status());
  std::unique_ptr<http::Exchange> exchange = std::move(started.value());
  auto body = co_await exchange->ReadAll();
  if (!body.ok()) co_return WithLaneName(body.status());
  if (exchange->status() != 200) {
    co_return UpstreamHttpError(exchange->status(), *body, config_.name,
                                exchange->header("retry-after"));
  }
  if (!CheckCompletion(*body, context.client_model)) {
    co_return core::Status(core::StatusCode::kUpstreamProtocol,
                           "lane '" + config_.name +
                               "' answered 200 with a body that is not a "
                               "chat completion",
                           "upstream_protocol");
  }
  co_return core::ChatResponse{200, std::move(body.value())};
}

asio::awaitable<core::Result<std::unique_ptr<ChatStream>>> OpenAiCompatibleLane::Stream(
    const core::ChatRequest& request, const std::string& upstream_model,
    const CallContext& context) {
  auto started = co_await client_->Start(BuildRequest(request, upstream_model, context), deadlines_,
                                         context.cancel);
  if (!started.ok()) co_return WithLaneName(started.status());
  std::unique_ptr<http::Exchange> exchange = std::move(started.value());
  if (exchange->status() != 200) {
    auto body = co_await exchange->ReadAll(1 << 20);
    if (!body.ok()) co_return WithLaneName(body.status());
    co_return UpstreamHttpError(exchange->status(), *body, config_.name,
                                exchange->header("retry-after"));
  }
  SseChatStream::Options options;
  options.client_model = context.client_model;
  options.max_event_bytes =
      context.max_event_bytes > 0 ? context.max_event_bytes : config_.max_event_bytes;
  std::unique_ptr<ChatStream> stream =
      std::make_unique<SseChatStream>(std::move(exchange), config_.name, std::move(options));
  co_return stream;
}

asio::awaitable<core::Status> OpenAiCompatibleLane::Probe(http::Millis timeout) {
  http::ClientRequest probe;
  probe.method = "GET";
  probe.target = config_.endpoint.path_prefix + "/models";
  probe.headers.emplace_back("User-Agent", "lanewise/0.1");
  if (!config_.api_key.empty()) {
    probe.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  }
  http::ClientDeadlines deadlines{timeout, timeout, timeout, timeout};
  auto started = co_await client_->Start(std::move(probe), deadlines, nullptr);
  if (!started.ok()) co_return WithLaneName(started.status());
  auto body = co_await started.value()->ReadAll(1 << 20);
  if (!body.ok()) co_return WithLaneName(body.status());
  int status = started.value()->status();
  if (status >= 500) co_return UpstreamHttpError(status, *body, config_.name);
  co_return core::Status::Ok();
}

}  // namespace lanewise::lanes
