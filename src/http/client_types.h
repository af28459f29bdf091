// Plain types shared by the upstream HTTP client and its users.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lanewise::http {

using Millis = std::chrono::milliseconds;

struct ClientDeadlines {
  Millis connect{2000};      // TCP connect plus TLS handshake
  Millis first_byte{60000};  // request written -> response header received
  Millis idle{30000};        // between two reads of the body
  Millis total{600000};      // the whole exchange
};

struct UpstreamTarget {
  std::string host;
  std::uint16_t port = 80;
  bool tls = false;
  bool verify_tls = true;  // chain and host name
  std::string ca_file;     // empty: system store
};

struct ClientRequest {
  std::string method = "POST";
  std::string target;  // path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Lets the owner of a request cancel it from the same thread (client went away).
// Whoever is doing I/O for the request installs `hook`; Cancel() runs it once.
class CancelSlot {
 public:
  void Cancel() {
    if (cancelled_) return;
    cancelled_ = true;
    if (hook_) hook_();
  }
  bool cancelled() const { return cancelled_; }
  void SetHook(std::function<void()> hook) { hook_ = std::move(hook); }
  void ClearHook() { hook_ = nullptr; }

 private:
  bool cancelled_ = false;
  std::function<void()> hook_;
};
using CancelSlotPtr = std::shared_ptr<CancelSlot>;

}  // namespace lanewise::http
