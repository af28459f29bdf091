#include "tools/sim/request_log.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace lanewise::sim {

std::uint64_t RequestLog::Record(RecordedRequest request) {
  std::lock_guard lock(mutex_);
  const std::uint64_t seq = next_seq_++;
  ++total_;
  const std::string path = request.path.substr(0, request.path.find('?'));
  ++by_path_[path];
  if (limit_ == 0) return seq;
  request.seq = seq;
  requests_.push_back(std::move(request));
  while (requests_.size() > limit_) requests_.pop_front();
  return seq;
}

void RequestLog::CountChat(bool stream, std::string_view fault) {
  std::lock_guard lock(mutex_);
  ++chat_;
  if (stream) ++streams_;
  if (fault != "none") ++faults_[std::string(fault)];
}

void RequestLog::Clear() {
  std::lock_guard lock(mutex_);
  requests_.clear();
}

std::vector<RecordedRequest> RequestLog::Snapshot() const {
  std::lock_guard lock(mutex_);
  return {requests_.begin(), requests_.end()};
}

std::string RequestLog::RequestsJson() const {
  const std::vector<RecordedRequest> requests = Snapshot();
  boost::json::array out;
  out.reserve(requests.size());
  for (const auto& request : requests) {
    boost::json::object headers;
    for (const auto& [name, value] : request.headers) {
      auto found = headers.find(name);
      if (found == headers.end()) {
        headers[name] = value;
      } else {
        std::string joined(found->value().get_string());
        joined += ", ";
        joined += value;
        found->value() = joined;
      }
    }
    boost::json::object item;
    item["seq"] = request.seq;
    item["method"] = request.method;
    item["path"] = request.path;
    item["headers"] = std::move(headers);
    item["body"] = request.body;
    out.push_back(std::move(item));
  }
  return boost::json::serialize(out);
}

void RequestLog::CountAborted() {
  std::lock_guard lock(mutex_);
  ++aborted_;
}

std::string RequestLog::StatsJson(std::size_t active) const {
  std::lock_guard lock(mutex_);
  boost::json::object out;
  out["requests"] = total_;
  out["recorded"] = requests_.size();
  out["chat_completions"] = chat_;
  out["streams"] = streams_;
  out["active"] = active;
  out["responses_aborted"] = aborted_;
  boost::json::object faults;
  for (const auto& [name, count] : faults_) faults[name] = count;
  out["faults"] = std::move(faults);
  boost::json::object by_path;
  for (const auto& [path, count] : by_path_) by_path[path] = count;
  out["by_path"] = std::move(by_path);
  return boost::json::serialize(out);
}

}  // namespace lanewise::sim
