#include "tools/sim/simulator.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "tools/sim/chat_params.h"
#include "tools/sim/completion.h"

namespace lanewise::sim {
namespace {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find('?'));
}

void SetHeaders(beast_http::fields& fields, const Headers& headers) {
  for (const auto& [name, value] : headers) fields.insert(name, value);
}

}  // namespace

Simulator::Simulator(SimulatorOptions options)
    : options_(std::move(options)),
      wire_(MakeWire(options_.flavor, options_.model_alias)),
      settings_(options_.defaults),
      log_(options_.record_limit) {}

Settings Simulator::settings() const {
  std::lock_guard lock(settings_mutex_);
  return settings_;
}

void Simulator::set_settings(Settings settings) {
  std::lock_guard lock(settings_mutex_);
  settings_ = std::move(settings);
}

http::Handler Simulator::MakeHandler() {
  return [this](http::Request& request, http::ResponseWriter& writer) {
    return Handle(request, writer);
  };
}

asio::awaitable<void> Simulator::Handle(http::Request& request, http::ResponseWriter& writer) {
  active_.fetch_add(1);
  struct Active {
    std::atomic<std::size_t>& count;
    ~Active() { count.fetch_sub(1); }
  } active{active_};
  ResponseScript script = Route(request);
  co_await Play(std::move(script), writer);
}

ResponseScript Simulator::Json(int status, std::string body) const {
  return JsonResponseScript(status, wire_->JsonHeaders(status >= 400), std::move(body));
}

ResponseScript Simulator::Route(http::Request& request) {
  const std::string_view path = PathOf(request.target());
  const auto method = request.method();
  const bool debug = path.starts_with("/__sim/");
  if (!debug) {
    RecordedRequest record;
    record.method = std::string(request.method_string());
    record.path = std::string(request.target());
    for (const auto& field : request) {
      record.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    record.body = request.body();
    log_.Record(std::move(record));
  }

  if (method == beast_http::verb::post &&
      (path == "/v1/chat/completions" || path == "/chat/completions")) {
    return HandleChat(request);
  }
  if (method == beast_http::verb::get && (path == "/health" || path == "/v1/health")) {
    return Json(200, R"({"status":"ok"})");
  }
  if (method == beast_http::verb::get && (path == "/v1/models" || path == "/models")) {
    return Json(200, wire_->ModelsBody());
  }
  if (path == "/__sim/config") return HandleConfig(request);
  if (path == "/__sim/requests") {
    if (method == beast_http::verb::get) return Json(200, log_.RequestsJson());
    if (method == beast_http::verb::delete_) {
      log_.Clear();
      return Json(200, R"({"cleared":true})");
    }
  }
  if (path == "/__sim/stats" && method == beast_http::verb::get) {
    return Json(200, log_.StatsJson(active_.load() - 1));  // minus this request
  }
  ErrorReply reply = wire_->NotFound(request.method_string(), path);
  return Json(reply.status, std::move(reply.body));
}

ResponseScript Simulator::HandleChat(const http::Request& request) {
  core::Result<ChatParams> params = ParseChatRequest(request.body());
  if (!params.ok()) {
    ErrorReply reply = wire_->RequestError(params.status());
    return Json(reply.status, std::move(reply.body));
  }
  Settings settings = this->settings();
  if (params->sim) {
    if (core::Status status = ApplySettings(*params->sim, settings); !status.ok()) {
      ErrorReply reply = wire_->RequestError(status);
      return Json(reply.status, std::move(reply.body));
    }
  }
  log_.CountChat(params->stream, FaultName(settings.fault));
  const Completion completion = PlanCompletion(*params, settings, options_.flavor);
  ResponseScript script = BuildChatScript(*wire_, *params, settings, completion);
  if (settings.slots > 0) DelayScript(script, BookSlot(settings.slots, ScriptEndMs(script)));
  return script;
}

double Simulator::BookSlot(int slots, double busy_ms) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(slots_mutex_);
  slot_free_at_.resize(static_cast<std::size_t>(slots), now);
  auto slot = std::min_element(slot_free_at_.begin(), slot_free_at_.end());
  const auto start = std::max(now, *slot);
  *slot = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double, std::milli>(busy_ms));
  return std::chrono::duration<double, std::milli>(start - now).count();
}

ResponseScript Simulator::HandleConfig(const http::Request& request) {
  if (request.method() == beast_http::verb::post || request.method() == beast_http::verb::put) {
    boost::system::error_code ec;
    const boost::json::value patch = boost::json::parse(request.body(), ec);
    if (ec || !patch.is_object()) {
      return Json(400, wire_->RequestError(core::InvalidArgument("expected a JSON object")).body);
    }
    std::lock_guard lock(settings_mutex_);
    if (core::Status status = ApplySettings(patch.get_object(), settings_); !status.ok()) {
      return Json(400, wire_->RequestError(status).body);
    }
  } else if (request.method() != beast_http::verb::get) {
    ErrorReply reply = wire_->NotFound(request.method_string(), "/__sim/config");
    return Json(reply.status, std::move(reply.body));
  }
  return Json(200, boost::json::serialize(SettingsToJson(settings())));
}

asio::awaitable<void> Simulator::Play(ResponseScript script, http::ResponseWriter& writer) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<asio::steady_timer> timer;
  bool gone = false;
  auto on_gone = [&gone, &timer] {
    gone = true;
    if (timer) timer->cancel();
  };
  writer.OnClientGone(on_gone);

  for (Step& step : script.steps) {
    const auto due = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double, std::milli>(step.at_ms));
    if (due > std::chrono::steady_clock::now()) {
      if (!timer) timer = std::make_unique<asio::steady_timer>(co_await asio::this_coro::executor);
      timer->expires_at(due);
      co_await timer->async_wait(kAwait);
    }
    if (gone) {
      log_.CountAborted();
      co_return;
    }
    core::Status status;
    switch (step.kind) {
      case Step::Kind::kRespond: {
        http::Response response{static_cast<beast_http::status>(step.status), 11};
        SetHeaders(response, step.headers);
        response.body() = std::move(step.data);
        status = co_await writer.Send(std::move(response));
        break;
      }
      case Step::Kind::kStartStream: {
        http::ResponseHeader header;
        header.result(static_cast<beast_http::status>(step.status));
        SetHeaders(header, step.headers);
        status = co_await writer.StartChunked(std::move(header));
        break;
      }
      case Step::Kind::kChunk:
        status = co_await writer.WriteChunk(step.data);
        break;
      case Step::Kind::kFinish:
        status = co_await writer.Finish();
        break;
      case Step::Kind::kRaw:
        status = co_await writer.WriteRaw(step.data);
        break;
      case Step::Kind::kReset:
        writer.Abort();
        co_return;
    }
    if (!status.ok()) {
      log_.CountAborted();
      co_return;
    }
  }
}

}  // namespace lanewise::sim
