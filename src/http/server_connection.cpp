#include "http/server_connection.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "http/deadline_watch.h"

namespace lanewise::http::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// After a 413 we read and discard what the client is still sending (for at most this long)
// so that closing the socket does not reset the connection before the client reads the reply.
constexpr std::chrono::milliseconds kLingerRead{500};

bool IsParseError(const beast::error_code& ec) {
  static const auto& http_category =
      beast::http::make_error_code(beast::http::error::bad_method).category();
  if (ec.category() != http_category) return false;
  return ec != beast::http::error::end_of_stream && ec != beast::http::error::partial_message &&
         ec != beast::http::error::need_more && ec != beast::http::error::body_limit;
}

core::Status WriteStatus(const beast::error_code& ec) {
  if (!ec) return core::Status::Ok();
  return core::Status(core::StatusCode::kCancelled, "write to client failed: " + ec.message(),
                      "client_gone");
}

}  // namespace

std::string ServerErrorBody(std::string_view message, std::string_view type,
                            std::string_view code) {
  boost::json::object error;
  error["message"] = message;
  error["type"] = type;
  error["param"] = nullptr;
  error["code"] = code;
  boost::json::object body;
  body["error"] = std::move(error);
  return boost::json::serialize(body);
}

// The status line and fields of a response, written by hand (Beast's serializer costs more
// than the rest of a proxied request's own work): the handler's fields except the framing
// ones, which follow from `keep_alive` and `content_length` (none: chunked).
std::string ResponseHead(const ResponseHeader& header, unsigned version, bool keep_alive,
                         std::optional<std::size_t> content_length) {
  namespace bh = beast::http;
  std::string head;
  head.reserve(256);
  head.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  head.append(std::to_string(header.result_int())).push_back(' ');
  const auto reason = header.reason();
  head.append(reason.data(), reason.size()).append("\r\n");
  for (const auto& field : header) {
    const bh::field name = field.name();
    if (name == bh::field::content_length || name == bh::field::transfer_encoding ||
        name == bh::field::connection) {
      continue;
    }
    const auto n = field.name_string();
    const auto v = field.value();
    head.append(n.data(), n.size()).append(": ").append(v.data(), v.size()).append("\r\n");
  }
  if (content_length.has_value()) {
    head.append("Content-Length: ").append(std::to_string(*content_length)).append("\r\n");
  } else {
    head.append("Transfer-Encoding: chunked\r\n");
  }
  if (!keep_alive) {
    head.append("Connection: close\r\n");
  } else if (version == 10) {
    head.append("Connection: keep-alive\r\n");
  }
  head.append("\r\n");
  return head;
}

class Connection final : public ResponseWriter, public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerState& state, ThreadConnections& registry, tcp::socket socket)
      : state_(state),
        registry_(registry),
        socket_(std::move(socket)),
        deadline_(socket_.get_executor(), [this] { ForceClose(); }) {
    registry_.Add(this);
    state_.connections.fetch_add(1);
  }
  ~Connection() override {
    registry_.Remove(this);
    state_.connections.fetch_sub(1);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  asio::awaitable<void> Run();

  void CloseIfIdle() {
    if (idle_) ForceClose();
  }
  void Shutdown() {
    if (!shutdown_callback_) return;
    auto callback = std::move(shutdown_callback_);
    shutdown_callback_ = nullptr;
    callback();
  }
  void ForceClose() {
    beast::error_code ec;
    socket_.close(ec);
  }

  // ResponseWriter
  asio::awaitable<core::Status> Send(Response response) override;
  asio::awaitable<core::Status> StartChunked(ResponseHeader header) override;
  asio::awaitable<core::Status> WriteChunk(std::string_view data) override;
  asio::awaitable<core::Status> Finish() override;
  asio::awaitable<core::Status> FinishWith(std::string_view data) override;
  asio::awaitable<core::Status> WriteRaw(std::string_view bytes) override;
  void Abort() override;
  bool ClientGone() const override { return client_gone_; }
  void OnClientGone(std::function<void()> callback) override;
  void OnShutdown(std::function<void()> callback) override {
    shutdown_callback_ = std::move(callback);
  }
  bool Started() const override { return started_; }

 private:
  asio::awaitable<bool> Serve(Request& request);
  // `header`: the request's header when it was read, else null.
  asio::awaitable<void> ReplyToReadError(const beast::error_code& ec, const Request* header);
  // Refuses a request the server will not read (Transfer-Encoding); the connection closes.
  asio::awaitable<void> Refuse(const Request& header, beast::http::status status,
                               std::string_view code, std::string message);
  asio::awaitable<void> SendServerError(const Request* header, beast::http::status status,
                                        std::string_view code, std::string message);
  asio::awaitable<void> DiscardInput();
  asio::awaitable<core::Status> WriteBuffers(asio::const_buffer header, asio::const_buffer data,
                                             asio::const_buffer trailer);
  void WatchForClose(std::uint64_t generation);
  void OnReadable(const beast::error_code& ec, std::uint64_t generation);

  void BeginRequest(const Request& request);
  // Forgets the previous response on this keep-alive connection before a new one.
  void ResetResponseState(unsigned version, bool keep_alive);
  void StartWatch();
  void StopWatch();
  void MarkClientGone();
  core::Status AfterWrite(const beast::error_code& ec);
  bool KeepAlive() const { return request_keep_alive_ && !state_.draining.load(); }
  core::Status NotWritable(const char* what) const;

  ServerState& state_;
  ThreadConnections& registry_;
  tcp::socket socket_;
  // Deadlines of reads and writes on socket_ (closes it when one passes).
  DeadlineWatch deadline_;
  beast::flat_buffer buffer_;
  bool idle_ = false;

  // Per request.
  bool request_keep_alive_ = false;
  unsigned request_version_ = 11;
  bool started_ = false;
  bool chunked_ = false;
  bool finished_ = false;
  bool aborted_ = false;
  bool broken_ = false;       // a write failed
  bool close_after_ = false;  // the response said Connection: close, or framing is unknown
  bool client_gone_ = false;
  bool watching_ = false;
  bool head_ = false;  // a HEAD request: headers only, never a body
  std::uint64_t watch_generation_ = 0;
  std::function<void()> gone_callback_;
  std::function<void()> shutdown_callback_;
};

// Why a request's Transfer-Encoding is refused, or empty when it is absent or exactly
// "chunked". Anything else would be misread: Beast reads "xchunked" as no body at all (the
// body then parses as the next request) and "gzip, chunked" as a plain chunked body.
std::string_view TransferEncodingProblem(const Request& header) {
  auto te = header.find(beast::http::field::transfer_encoding);
  if (te == header.end()) return {};
  std::string_view value(te->value().data(), te->value().size());
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (!beast::iequals(value, "chunked")) {
    const auto comma = value.rfind(',');
    std::string_view last = comma == std::string_view::npos ? value : value.substr(comma + 1);
    while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
    return beast::iequals(last, "chunked") ? "unsupported_transfer_coding"
                                           : "bad_transfer_encoding";
  }
  if (header.find(beast::http::field::content_length) != header.end()) {
    return "bad_transfer_encoding";  // both framings: refused (request smuggling)
  }
  return {};
}

asio::awaitable<void> Connection::Run() {
  bool first = true;
  while (!state_.draining.load()) {
    if (buffer_.size() == 0) {
      // Idle until the next request's first byte; Drain closes connections in this state.
      idle_ = true;
      deadline_.Arm(first ? state_.HeaderTimeout() : state_.KeepAliveIdle());
      auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kAwait);
      deadline_.Disarm();
      idle_ = false;
      if (ec) break;
      buffer_.commit(n);
    }
    first = false;

    // A fresh parser per request: a parser is single-use.
    beast::http::request_parser<beast::http::string_body> parser;
    const std::size_t max_body = state_.max_body_bytes.load(std::memory_order_relaxed);
    parser.body_limit(max_body);
    parser.header_limit(kHeaderLimit);
    // One deadline for the header and the body.
    deadline_.Arm(state_.HeaderTimeout());
    auto [hec, hn] = co_await beast::http::async_read_header(socket_, buffer_, parser, kAwait);
    if (hec) {
      deadline_.Disarm();
      // A Content-Length over the limit fails here, with the fields read (parsed so far).
      co_await ReplyToReadError(hec, &parser.get());
      break;
    }
    const auto& header = parser.get();
    if (std::string_view problem = TransferEncodingProblem(header); !problem.empty()) {
      deadline_.Disarm();
      const bool unsupported = problem == "unsupported_transfer_coding";
      co_await Refuse(
          header,
          unsupported ? beast::http::status::not_implemented : beast::http::status::bad_request,
          problem,
          unsupported ? "this Transfer-Encoding is not supported: send plain chunked "
                        "or Content-Length"
                      : "malformed HTTP request: Transfer-Encoding must be exactly "
                        "'chunked' and comes without Content-Length");
      break;
    }
    if (beast::iequals(header[beast::http::field::expect], "100-continue") && !parser.is_done()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [cec, cn] = co_await asio::async_write(socket_, asio::buffer(kContinue), kAwait);
      if (cec) break;
    }
    auto [bec, bn] = co_await beast::http::async_read(socket_, buffer_, parser, kAwait);
    deadline_.Disarm();
    if (bec) {
      const Request header_only = parser.get();
      co_await ReplyToReadError(bec, &header_only);
      break;
    }
    Request request = parser.release();
    const bool keep_going = co_await Serve(request);
    if (!keep_going) break;
  }
  if (!aborted_) {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }
}

asio::awaitable<bool> Connection::Serve(Request& request) {
  BeginRequest(request);
  state_.in_flight.fetch_add(1);
  struct InFlight {
    std::atomic<std::size_t>& count;
    ~InFlight() { count.fetch_sub(1); }
  } in_flight{state_.in_flight};

  StartWatch();
  bool failed = false;
  try {
    auto task = state_.handler(request, *this);
    co_await std::move(task);
  } catch (const std::exception&) {
    failed = true;
  }
  StopWatch();
  gone_callback_ = nullptr;  // both may capture the handler's locals
  shutdown_callback_ = nullptr;

  if (aborted_) co_return false;
  if (!started_ && !broken_) {
    const char* message =
        failed ? "the request handler failed" : "the request handler sent no response";
    Response response{beast::http::status::internal_server_error, 11};
    response.set(beast::http::field::server, state_.options.server_name);
    response.set(beast::http::field::content_type, "application/json");
    response.body() = ServerErrorBody(message, "server_error", "internal_error");
    co_await Send(std::move(response));
  } else if (chunked_ && !finished_) {
    close_after_ = true;  // the client must not take a cut-off body for a complete one
  }
  co_return !broken_ && !close_after_ && KeepAlive();
}

void Connection::BeginRequest(const Request& request) {
  ResetResponseState(request.version(), request.keep_alive());
  head_ = request.method() == beast::http::verb::head;
}

void Connection::ResetResponseState(unsigned version, bool keep_alive) {
  request_keep_alive_ = keep_alive;
  request_version_ = version;
  started_ = chunked_ = finished_ = aborted_ = broken_ = close_after_ = false;
  client_gone_ = false;
  head_ = false;
  gone_callback_ = nullptr;
  shutdown_callback_ = nullptr;
}

asio::awaitable<void> Connection::ReplyToReadError(const beast::error_code& ec,
                                                   const Request* header) {
  // The state still describes the previous request on this keep-alive connection; the
  // connection closes after this error answer.
  ResetResponseState(11, false);
  if (ec == beast::http::error::body_limit) {
    const std::string message =
        "request body exceeds " +
        std::to_string(state_.max_body_bytes.load(std::memory_order_relaxed)) + " bytes";
    co_await SendServerError(header, beast::http::status::payload_too_large, "body_too_large",
                             message);
    co_await DiscardInput();
  } else if (IsParseError(ec)) {
    co_await SendServerError(header, beast::http::status::bad_request, "bad_request",
                             "malformed HTTP request: " + ec.message());
  }
  // Otherwise (client closed, timeout, reset) there is nobody to answer.
}

asio::awaitable<void> Connection::Refuse(const Request& header, beast::http::status status,
                                         std::string_view code, std::string message) {
  ResetResponseState(11, false);
  co_await SendServerError(&header, status, code, std::move(message));
}

asio::awaitable<void> Connection::SendServerError(const Request* header, beast::http::status status,
                                                  std::string_view code, std::string message) {
  RejectedRequest rejected;
  rejected.status = static_cast<int>(status);
  rejected.code = code;
  rejected.message = message;
  if (header != nullptr) {
    const auto incoming = (*header)["x-request-id"];
    if (core::IsSafeRequestId(std::string_view(incoming.data(), incoming.size()))) {
      rejected.request_id.assign(incoming.data(), incoming.size());
    }
    const auto method = header->method_string();
    const auto target = header->target();
    rejected.method.assign(method.data(), method.size());
    rejected.target.assign(target.data(), target.size());
  }
  if (rejected.request_id.empty()) rejected.request_id = core::NewId("req_");
  Response response{status, 11};
  response.set(beast::http::field::server, state_.options.server_name);
  response.set(beast::http::field::content_type, "application/json");
  response.set("x-request-id", rejected.request_id);
  response.body() = ServerErrorBody(message, "invalid_request_error", code);
  if (state_.options.on_rejected) state_.options.on_rejected(rejected);
  co_await Send(std::move(response));
}

asio::awaitable<void> Connection::DiscardInput() {
  // No shutdown(send) first: some clients (undici) treat a FIN that arrives while they are
  // still writing the body as a failed request and never read the 413.
  std::size_t budget = state_.max_body_bytes.load(std::memory_order_relaxed) + (1 << 20);
  char sink[8192];
  deadline_.Arm(kLingerRead);
  while (budget > 0) {
    auto [rec, n] = co_await socket_.async_read_some(asio::buffer(sink), kAwait);
    if (rec) break;
    budget -= std::min(budget, n);
  }
  deadline_.Disarm();
}

core::Status Connection::NotWritable(const char* what) const {
  if (aborted_ || broken_) {
    return core::Status(core::StatusCode::kCancelled,
                        std::string(what) + ": the connection is closed", "client_gone");
  }
  return core::Internal(std::string(what) + ": not allowed in the response's current state");
}

core::Status Connection::AfterWrite(const beast::error_code& ec) {
  if (!ec) return core::Status::Ok();
  broken_ = true;
  if (!aborted_) MarkClientGone();
  return WriteStatus(ec);
}

asio::awaitable<core::Status> Connection::Send(Response response) {
  if (started_ || aborted_ || broken_) co_return NotWritable("Send");
  started_ = true;
  // Answer in the request's version, so that an HTTP/1.0 keep-alive client gets
  // "Connection: keep-alive".
  const bool keep = response.keep_alive() && KeepAlive();
  if (!keep) close_after_ = true;
  const std::string head =
      ResponseHead(response.base(), request_version_ == 10 ? 10 : 11, keep, response.body().size());
  // HEAD: the headers a GET would get (Content-Length included), and no body: a body here
  // would be read as the start of the next response on a keep-alive connection.
  const std::array<asio::const_buffer, 2> buffers{
      asio::buffer(head),
      head_ ? asio::const_buffer() : asio::buffer(response.body().data(), response.body().size())};
  deadline_.Arm(state_.KeepAliveIdle());
  auto [ec, n] = co_await asio::async_write(socket_, buffers, kAwait);
  deadline_.Disarm();
  co_return AfterWrite(ec);
}

asio::awaitable<core::Status> Connection::StartChunked(ResponseHeader header) {
  if (started_ || aborted_ || broken_) co_return NotWritable("StartChunked");
  started_ = true;
  chunked_ = true;
  // A stream may stay open for minutes: the request's read buffer (16 KB) is not kept
  // for it when nothing is pipelined behind the request.
  if (buffer_.size() == 0) buffer_.shrink_to_fit();
  const beast::http::response<beast::http::empty_body> message{std::move(header)};
  const bool keep = message.keep_alive() && KeepAlive();
  if (!keep) close_after_ = true;
  const std::string head =
      ResponseHead(message.base(), request_version_ == 10 ? 10 : 11, keep, std::nullopt);
  deadline_.Arm(state_.KeepAliveIdle());
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(head), kAwait);
  deadline_.Disarm();
  co_return AfterWrite(ec);
}

asio::awaitable<core::Status> Connection::WriteBuffers(asio::const_buffer header,
                                                       asio::const_buffer data,
                                                       asio::const_buffer trailer) {
  if (head_) co_return core::Status::Ok();  // HEAD: the chunks are not sent
  const std::array<asio::const_buffer, 3> buffers{header, data, trailer};
  deadline_.Arm(state_.KeepAliveIdle());
  auto [ec, n] = co_await asio::async_write(socket_, buffers, kAwait);
  deadline_.Disarm();
  co_return AfterWrite(ec);
}

asio::awaitable<core::Status> Connection::WriteChunk(std::string_view data) {
  if (!chunked_ || finished_ || aborted_ || broken_) co_return NotWritable("WriteChunk");
  if (data.empty()) co_return core::Status::Ok();
  // Chunk framing by hand: size in hex, CRLF, data, CRLF; one gathered write per chunk.
  char size_line[24];
  const int length = std::snprintf(size_line, sizeof size_line, "%zx\r\n", data.size());
  co_return co_await WriteBuffers(asio::buffer(size_line, static_cast<std::size_t>(length)),
                                  asio::buffer(data.data(), data.size()), asio::buffer("\r\n", 2));
}

asio::awaitable<core::Status> Connection::Finish() {
  if (!chunked_ || finished_ || aborted_ || broken_) co_return NotWritable("Finish");
  finished_ = true;
  co_return co_await WriteBuffers(asio::buffer("0\r\n\r\n", 5), asio::const_buffer(),
                                  asio::const_buffer());
}

asio::awaitable<core::Status> Connection::FinishWith(std::string_view data) {
  if (data.empty()) co_return co_await Finish();
  if (!chunked_ || finished_ || aborted_ || broken_) co_return NotWritable("FinishWith");
  finished_ = true;
  char size_line[24];
  const int length = std::snprintf(size_line, sizeof size_line, "%zx\r\n", data.size());
  co_return co_await WriteBuffers(asio::buffer(size_line, static_cast<std::size_t>(length)),
                                  asio::buffer(data.data(), data.size()),
                                  asio::buffer("\r\n0\r\n\r\n", 7));
}

asio::awaitable<core::Status> Connection::WriteRaw(std::string_view bytes) {
  if (aborted_ || broken_) co_return NotWritable("WriteRaw");
  started_ = true;
  close_after_ = true;  // the framing is now unknown; never reuse the connection
  co_return co_await WriteBuffers(asio::buffer(bytes.data(), bytes.size()), asio::const_buffer(),
                                  asio::const_buffer());
}

void Connection::Abort() {
  if (aborted_) return;
  aborted_ = true;
  started_ = true;
  close_after_ = true;
  watching_ = false;
  beast::error_code ec;
  // Linger with a zero timeout makes close() send RST instead of FIN.
  socket_.set_option(asio::socket_base::linger(true, 0), ec);
  socket_.close(ec);
}

void Connection::OnClientGone(std::function<void()> callback) {
  if (client_gone_) {
    if (callback) callback();
    return;
  }
  gone_callback_ = std::move(callback);
}

void Connection::MarkClientGone() {
  if (client_gone_) return;
  client_gone_ = true;
  watching_ = false;
  if (gone_callback_) {
    auto callback = std::move(gone_callback_);
    gone_callback_ = nullptr;
    callback();
  }
}

void Connection::StartWatch() {
  watching_ = true;
  ++watch_generation_;
  WatchForClose(watch_generation_);
}

void Connection::StopWatch() {
  if (!watching_) return;
  watching_ = false;
  beast::error_code ec;
  socket_.cancel(ec);
}

// A plain completion handler rather than a coroutine: this runs for every request.
void Connection::WatchForClose(std::uint64_t generation) {
  auto on_readable = [self = shared_from_this(), generation](const beast::error_code& ec) {
    self->OnReadable(ec, generation);
  };
  socket_.async_wait(tcp::socket::wait_read, on_readable);
}

void Connection::OnReadable(const beast::error_code& ec, std::uint64_t generation) {
  if (ec || !watching_ || watch_generation_ != generation) return;
  char byte = 0;
  const ssize_t n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return;  // a pipelined request, not a close: stop watching
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    WatchForClose(generation);
    return;
  }
  MarkClientGone();  // EOF or an error such as ECONNRESET
}

void ThreadConnections::CloseIdle() {
  // Closing completes the idle read with an error; the connection then removes itself later.
  for (Connection* connection : all_) connection->CloseIfIdle();
}

void ThreadConnections::ShutdownAll() {
  // A callback may end its request and so remove connections: iterate over a copy.
  std::vector<Connection*> all(all_.begin(), all_.end());
  for (Connection* connection : all) {
    if (all_.count(connection) != 0) connection->Shutdown();
  }
}

void ThreadConnections::CloseAll() {
  for (Connection* connection : all_) connection->ForceClose();
}

asio::awaitable<void> RunConnection(ServerState& state, ThreadConnections& registry,
                                    tcp::socket socket) {
  auto connection = std::make_shared<Connection>(state, registry, std::move(socket));
  co_await connection->Run();
}

}  // namespace lanewise::http::detail
