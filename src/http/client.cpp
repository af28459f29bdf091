#include "http/client.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <unordered_map>
#include <vector>

namespace lanewise::http {
namespace {

namespace asio = boost::asio;
using IdleList = std::vector<std::unique_ptr<UpstreamConnection>>;

std::atomic<std::uint64_t> next_client_id{1};

// Idle connections of every client, on this I/O thread.
std::unordered_map<std::uint64_t, IdleList>& ThreadPools() {
  thread_local std::unordered_map<std::uint64_t, IdleList> pools;
  return pools;
}

bool IsRetryableOnStaleConnection(const boost::system::error_code& ec) {
  return ec == beast::http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

core::Status HeaderError(const UpstreamTarget& target, const boost::system::error_code& ec,
                         bool cancelled) {
  std::string where = target.host + ":" + std::to_string(target.port);
  if (cancelled || ec == asio::error::operation_aborted) {
    return {core::StatusCode::kCancelled, "request cancelled", "client_closed"};
  }
  if (ec == beast::error::timeout) {
    return core::DeadlineExceeded("no response from " + where + " within the first-byte deadline",
                                  "first_byte_timeout");
  }
  if (IsRetryableOnStaleConnection(ec)) {
    return core::Unavailable(
        where + " closed the connection before responding (" + ec.message() + ")",
        "upstream_reset");
  }
  if (ec.category() == beast::http::make_error_code(beast::http::error::bad_target).category()) {
    return {core::StatusCode::kUpstreamProtocol,
            "malformed HTTP response from " + where + ": " + ec.message(), "upstream_protocol"};
  }
  return core::Unavailable("exchange with " + where + " failed: " + ec.message(),
                           "upstream_io_error");
}

}  // namespace

Client::Client(UpstreamTarget target)
    : target_(std::move(target)),
      host_header_((target_.port == 80 || target_.port == 443)
                       ? target_.host
                       : target_.host + ":" + std::to_string(target_.port)),
      id_(next_client_id++) {
  if (target_.tls) {
    tls_context_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    tls_context_->set_options(asio::ssl::context::default_workarounds |
                              asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3);
    if (!target_.ca_file.empty()) {
      tls_context_->load_verify_file(target_.ca_file);  // throws at start-up on a bad file
    } else {
      tls_context_->set_default_verify_paths();
    }
  }
}

Client::~Client() {
  ThreadPools().erase(id_);
}

void Client::DropThreadPools() {
  ThreadPools().clear();
}

std::unique_ptr<UpstreamConnection> Client::TakeIdle() {
  auto& pools = ThreadPools();
  auto it = pools.find(id_);
  if (it == pools.end()) return nullptr;
  IdleList& idle = it->second;
  while (!idle.empty()) {
    auto conn = std::move(idle.back());
    idle.pop_back();
    if (conn->LooksAlive()) return conn;
  }
  return nullptr;
}

void Client::ReturnIdle(std::unique_ptr<UpstreamConnection> conn) {
  IdleList& idle = ThreadPools()[id_];
  if (idle.size() >= max_idle_) return;
  conn->MarkIdle();
  idle.push_back(std::move(conn));
}

std::string RequestHead(const ClientRequest& request, std::string_view host) {
  std::string head;
  head.reserve(128 + request.target.size() + host.size() + 64 * request.headers.size());
  head.append(request.method).append(" ").append(request.target).append(" HTTP/1.1\r\nHost: ");
  head.append(host).append("\r\n");
  for (const auto& [name, value] : request.headers) {
    head.append(name).append(": ");
    // A value is one line: CR and LF would start a field of their own (header injection).
    const std::size_t at = head.size();
    head.append(value);
    for (std::size_t i = at; i < head.size(); ++i) {
      if (head[i] == '\r' || head[i] == '\n') head[i] = ' ';
    }
    head.append("\r\n");
  }
  // Content-Length also for an empty body when the method carries one.
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    head.append("Content-Length: ").append(std::to_string(request.body.size())).append("\r\n");
  }
  head.append("\r\n");
  return head;
}

asio::awaitable<core::Result<std::unique_ptr<Exchange>>> Client::Start(ClientRequest request,
                                                                       ClientDeadlines deadlines,
                                                                       CancelSlotPtr cancel) {
  const auto deadline = Exchange::Clock::now() + deadlines.total;
  OutgoingRequest out{RequestHead(request, host_header_), std::move(request.body)};

  for (int attempt = 0; attempt < 2; ++attempt) {
    if (cancel && cancel->cancelled()) {
      co_return core::Status(core::StatusCode::kCancelled, "request cancelled", "client_closed");
    }
    std::unique_ptr<UpstreamConnection> conn = attempt == 0 ? TakeIdle() : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) {
      auto opened = co_await UpstreamConnection::Open(target_, tls_context_.get(),
                                                      deadlines.connect, cancel.get());
      if (!opened.ok()) co_return opened.status();
      conn = std::move(opened.value());
    }
    std::unique_ptr<Exchange> exchange(
        new Exchange(*this, std::move(conn), deadline, deadlines, cancel));
    Millis write_budget = exchange->Budget(deadlines.first_byte);
    auto wec = co_await exchange->conn_->Write(out, write_budget);
    if (!wec) {
      auto rec = co_await exchange->conn_->ReadHeader(*exchange->parser_,
                                                      exchange->Budget(deadlines.first_byte));
      if (!rec) {
        exchange->status_ = static_cast<int>(exchange->parser_->get().result_int());
        co_return exchange;
      }
      wec = rec;
    }
    exchange->failed_ = true;
    const bool cancelled = cancel && cancel->cancelled();
    if (reused && !cancelled && IsRetryableOnStaleConnection(wec)) continue;
    co_return HeaderError(target_, wec, cancelled);
  }
  co_return core::Unavailable("upstream kept closing connections", "upstream_reset");
}

Exchange::Exchange(Client& client, std::unique_ptr<UpstreamConnection> conn,
                   Clock::time_point deadline, ClientDeadlines deadlines, CancelSlotPtr cancel)
    : client_(client),
      conn_(std::move(conn)),
      parser_(std::make_unique<ResponseParser>()),
      deadline_(deadline),
      deadlines_(deadlines),
      cancel_(std::move(cancel)) {
  parser_->body_limit(boost::none);
  if (cancel_) {
    UpstreamConnection* raw = conn_.get();
    auto close_hook = [raw] { raw->Close(); };
    cancel_->SetHook(close_hook);
  }
}

Exchange::~Exchange() {
  if (cancel_) cancel_->ClearHook();
  if (!conn_ || failed_ || (cancel_ && cancel_->cancelled()) || !parser_->is_header_done() ||
      !parser_->keep_alive()) {
    return;
  }
  if (parser_->is_done()) {
    client_.ReturnIdle(std::move(conn_));
  } else if (end_reached_ && conn_->ParkUnfinishedResponse(std::move(parser_))) {
    client_.ReturnIdle(std::move(conn_));
  }
}

std::string Exchange::header(std::string_view name) const {
  auto it = parser_->get().find(name);
  return it == parser_->get().end() ? std::string() : std::string(it->value());
}

Millis Exchange::Budget(Millis op) const {
  auto left = std::chrono::duration_cast<Millis>(deadline_ - Clock::now());
  if (left < Millis(1)) left = Millis(1);
  return std::min(op, left);
}

core::Status Exchange::BodyError(const boost::system::error_code& ec) const {
  const auto& target = client_.target();
  std::string where = target.host + ":" + std::to_string(target.port);
  if ((cancel_ && cancel_->cancelled()) || ec == asio::error::operation_aborted) {
    return {core::StatusCode::kCancelled, "request cancelled", "client_closed"};
  }
  if (ec == beast::error::timeout) {
    if (Clock::now() >= deadline_) {
      return core::DeadlineExceeded("exchange with " + where + " exceeded its total deadline",
                                    "total_timeout");
    }
    return core::DeadlineExceeded(where + " sent nothing within the idle deadline", "idle_timeout");
  }
  if (ec == beast::http::error::partial_message || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == beast::http::error::end_of_stream) {
    return core::Unavailable(where + " broke the connection mid-response (" + ec.message() + ")",
                             "upstream_reset");
  }
  return {core::StatusCode::kUpstreamProtocol,
          "reading the response from " + where + " failed: " + ec.message(), "upstream_protocol"};
}

bool Exchange::ParseBuffered(std::string& out, boost::system::error_code& ec) {
  ResponseParser& parser = *parser_;
  beast::flat_buffer& in = conn_->buffer();
  // Eager: one call parses every chunk in the buffer, not just the next one.
  parser.eager(true);
  while (in.size() != 0 && !parser.is_done()) {
    // Body bytes are never more than the bytes they arrive in: room for all of them.
    const std::size_t before = out.size();
    const std::size_t room = in.size();
    out.resize(before + room);
    auto& body = parser.get().body();
    body.data = out.data() + before;
    body.size = room;
    const std::size_t used = parser.put(in.data(), ec);
    in.consume(used);
    out.resize(before + room - body.size);
    body.data = nullptr;
    body.size = 0;
    if (ec == beast::http::error::need_buffer) ec = {};
    if (ec == beast::http::error::need_more) {
      ec = {};
      return true;  // the rest of an incomplete chunk header or trailer is still to come
    }
    if (ec) return false;
    if (used == 0) return true;
  }
  return true;
}

asio::awaitable<core::Status> Exchange::ReadInto(std::string& out) {
  const std::size_t before = out.size();
  while (!parser_->is_done()) {
    boost::system::error_code ec;
    if (!ParseBuffered(out, ec)) {
      failed_ = true;
      co_return BodyError(ec);
    }
    if (out.size() != before || parser_->is_done()) break;
    ec = co_await conn_->Fill(Budget(deadlines_.idle));
    if (ec == asio::error::eof) {
      // The peer closed: that ends a body delimited by the close, and cuts any other.
      parser_->put_eof(ec);
      if (!ec) continue;
    }
    if (ec) {
      failed_ = true;
      co_return BodyError(ec);
    }
  }
  co_return core::Status::Ok();
}

asio::awaitable<core::Result<std::string>> Exchange::ReadSome() {
  std::string out;
  core::Status status = co_await ReadInto(out);
  if (!status.ok()) co_return status;
  co_return out;
}

asio::awaitable<core::Result<std::string>> Exchange::ReadAll(std::size_t limit) {
  std::string all;
  if (auto length = parser_->content_length(); length && *length <= limit) {
    all.reserve(static_cast<std::size_t>(*length));
  }
  while (!parser_->is_done()) {
    core::Status status = co_await ReadInto(all);
    if (!status.ok()) co_return status;
    if (all.size() > limit) {
      failed_ = true;
      co_return core::Status(core::StatusCode::kUpstreamProtocol,
                             "upstream response exceeds " + std::to_string(limit) + " bytes",
                             "upstream_too_large");
    }
  }
  co_return all;
}

std::size_t Exchange::read_buffer_capacity() const {
  return conn_ ? conn_->buffer().capacity() : 0;
}

void Exchange::Cancel() {
  failed_ = true;
  if (conn_) conn_->Close();
}

}  // namespace lanewise::http
