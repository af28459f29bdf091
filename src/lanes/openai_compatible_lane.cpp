#include "lanes/openai_compatible_lane.h"

#include <boost/json/serializer.hpp>

#include "lanes/answer_scan.h"
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

// Checked in one pass without a DOM; the model name is rewritten in place when it differs.
bool CheckCompletion(std::string& body, const std::string& client_model) {
  const AnswerShape shape = ReadAnswer(body, client_model);
  return shape.object && shape.has_choices;
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

namespace {

// The request body as the lane gets it: the client's (canonical, possibly redacted) body
// with the lane's model name, serialised member by member (no copy of the DOM).
std::string UpstreamBody(const boost::json::object& body, const std::string& upstream_model,
                         std::size_t size_hint) {
  std::string out;
  out.reserve(size_hint + upstream_model.size() + 64);
  thread_local boost::json::serializer serializer;
  char buffer[4096];
  auto drain = [&] {
    while (!serializer.done()) out.append(serializer.read(buffer, sizeof buffer));
  };
  const boost::json::string_view model(upstream_model);
  out.push_back('{');
  bool model_written = false;
  for (const boost::json::key_value_pair& member : body) {
    if (out.size() > 1) out.push_back(',');
    const bool is_model = member.key() == "model";
    serializer.reset(member.key());
    drain();
    out.push_back(':');
    if (is_model) {
      serializer.reset(model);
    } else {
      serializer.reset(&member.value());
    }
    drain();
    model_written = model_written || is_model;
  }
  if (!model_written) {
    if (out.size() > 1) out.push_back(',');
    out.append("\"model\":");
    serializer.reset(model);
    drain();
  }
  out.push_back('}');
  return out;
}

}  // namespace

http::ClientRequest OpenAiCompatibleLane::BuildRequest(const core::ChatRequest& request,
                                                       const std::string& upstream_model,
                                                       const CallContext& context) const {
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
  out.body = UpstreamBody(request.body, upstream_model, request.wire_bytes);
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
