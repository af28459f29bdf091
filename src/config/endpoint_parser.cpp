#include "config/endpoint_parser.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>
#include <charconv>

namespace lanewise::config {
namespace {

core::Status Invalid(std::string msg) {
  return core::InvalidArgument(std::move(msg), "invalid_config");
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Digits only, 0..65535.
bool ParsePort(std::string_view text, std::uint16_t* port) {
  if (text.empty() || text.size() > 5) return false;
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > 65535) return false;
  *port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

core::Result<Endpoint> ParseBaseUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    return Invalid("not a valid absolute URL (" + parsed.error().message() + ")");
  }
  const boost::urls::url_view& u = *parsed;
  Endpoint ep;
  ep.scheme = Lower(u.scheme());
  if (ep.scheme != "http" && ep.scheme != "https") {
    return Invalid("URL scheme must be http or https, got \"" + ep.scheme + "\"");
  }
  if (!u.has_authority()) return Invalid("URL has no host");
  if (u.has_userinfo()) {
    return Invalid(
        "credentials in the URL are not allowed; put the key in an environment "
        "variable and name it with api_key_env");
  }
  if (u.has_query()) return Invalid("URL must not have a query string");
  if (u.has_fragment()) return Invalid("URL must not have a fragment");
  switch (u.host_type()) {
    case boost::urls::host_type::ipv6:
      ep.host = std::string(u.host_address());
      break;
    case boost::urls::host_type::name:
    case boost::urls::host_type::ipv4:
      ep.host = Lower(std::string(u.host()));
      break;
    default:
      return Invalid("URL host is not a name or an IP address");
  }
  if (ep.host.empty()) return Invalid("URL has an empty host");
  if (u.has_port()) {
    if (!ParsePort(std::string_view(u.port()), &ep.port) || ep.port == 0) {
      return Invalid("URL port must be between 1 and 65535, got \"" + std::string(u.port()) + "\"");
    }
  } else {
    ep.port = ep.tls() ? 443 : 80;
  }
  std::string path(u.encoded_path());
  while (!path.empty() && path.back() == '/') path.pop_back();
  ep.path_prefix = std::move(path);
  return ep;
}

core::Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Invalid("expected \"[address]:port\", got \"" + std::string(text) + "\"");
    }
    out.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Invalid("expected \"host:port\", got \"" + std::string(text) + "\"");
    }
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) {
      return Invalid("IPv6 listen addresses need brackets: \"[::1]:8080\"");
    }
    port_text = text.substr(colon + 1);
  }
  if (out.host.empty()) return Invalid("listen address has no host (use 0.0.0.0 for all)");
  if (!ParsePort(port_text, &out.port)) {
    return Invalid("listen port must be between 0 and 65535, got \"" + std::string(port_text) +
                   "\"");
  }
  return out;
}

}  // namespace lanewise::config
