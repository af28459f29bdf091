#include "app/explain_command.h"

#include <boost/json/serialize.hpp>
#include <iterator>

#include "api/chat_request_parser.h"
#include "app/snapshot_builder.h"
#include "config/config_loader.h"

namespace lanewise::app {

int RunExplain(const std::string& config_path, std::istream& in, std::ostream& out,
               std::ostream& err) {
  auto loaded = config::LoadConfigFile(config_path);
  if (!loaded.ok()) {
    err << loaded.status().message() << "\n";
    return 1;
  }
  auto snapshot = BuildSnapshot(loaded.value());
  if (!snapshot.ok()) {
    err << config_path << ": " << snapshot.status().message() << "\n";
    return 1;
  }
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto request = api::ParseChatRequest(body, {});
  if (!request.ok()) {
    err << "request: " << request.status().message() << "\n";
    return 1;
  }
  const api::GatewaySnapshot& snap = *snapshot.value();
  core::Facts facts = snap.inspect(request.value());
  out << boost::json::serialize(snap.explain(request.value(), facts, {})) << "\n";
  return 0;
}

}  // namespace lanewise::app
