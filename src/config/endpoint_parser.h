// Parsing of the network addresses written in the config: lane base URLs and the
// server's listen address. Pure functions; errors are short phrases the loader locates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/result.h"

namespace lanewise::config {

// "http(s)://host[:port][/prefix]" -> Endpoint. Default ports 80/443; the path prefix is
// kept as written (percent-encoded) without trailing slashes. User info, query and
// fragment are refused.
core::Result<Endpoint> ParseBaseUrl(std::string_view url);

struct ListenAddress {
  std::string host;  // IPv6 without brackets
  std::uint16_t port = 0;
};

// "host:port" or "[v6addr]:port"; port 0 asks the system for a free port.
core::Result<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace lanewise::config
