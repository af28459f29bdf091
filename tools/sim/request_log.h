// RequestLog: every request the simulator received (bounded), plus counters.
// Thread-safe: I/O threads record, the debug endpoints read.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace lanewise::sim {

struct RecordedRequest {
  std::uint64_t seq = 0;
  std::string method;
  std::string path;  // the request target as received (with any query)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // raw bytes as received
};

class RequestLog {
 public:
  // Keeps the `limit` most recent requests (0: record nothing, count only).
  explicit RequestLog(std::size_t limit) : limit_(limit) {}

  std::uint64_t Record(RecordedRequest request);
  void CountChat(bool stream, std::string_view fault);
  // A response the client (the gateway) abandoned before it was complete.
  void CountAborted();
  void Clear();

  std::vector<RecordedRequest> Snapshot() const;
  // [{seq, method, path, headers:{...}, body}, ...]
  std::string RequestsJson() const;
  // {"requests":N,"recorded":N,"chat_completions":N,"streams":N,"active":N,
  //  "responses_aborted":N,"faults":{name:N},"by_path":{path:N}}; `active` is supplied by the
  //  caller.
  std::string StatsJson(std::size_t active) const;

 private:
  mutable std::mutex mutex_;
  std::size_t limit_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t total_ = 0;
  std::uint64_t chat_ = 0;
  std::uint64_t streams_ = 0;
  std::uint64_t aborted_ = 0;
  std::map<std::string, std::uint64_t> faults_;
  std::map<std::string, std::uint64_t> by_path_;
  std::deque<RecordedRequest> requests_;
};

}  // namespace lanewise::sim
