#include "config/config.h"

#include <algorithm>
#include <set>

namespace lanewise::config {

std::string_view LaneKindName(LaneKind kind) {
  switch (kind) {
    case LaneKind::kLocal:
      return "local";
    case LaneKind::kPrivate:
      return "private";
    case LaneKind::kManaged:
      return "managed";
  }
  return "unknown";
}

std::string_view WhenFullName(WhenFull when_full) {
  switch (when_full) {
    case WhenFull::kQueue:
      return "queue";
    case WhenFull::kBurst:
      return "burst";
    case WhenFull::kDegrade:
      return "degrade";
    case WhenFull::kRefuse:
      return "refuse";
  }
  return "queue";
}

std::optional<LaneKind> ParseLaneKind(std::string_view name) {
  if (name == "local") return LaneKind::kLocal;
  if (name == "private") return LaneKind::kPrivate;
  if (name == "managed") return LaneKind::kManaged;
  return std::nullopt;
}

const LaneConfig* Config::FindLane(std::string_view name) const {
  for (const LaneConfig& lane : lanes) {
    if (lane.name == name) return &lane;
  }
  return nullptr;
}

std::optional<std::size_t> Config::LaneIndex(std::string_view name) const {
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    if (lanes[i].name == name) return i;
  }
  return std::nullopt;
}

std::optional<Config::AliasTarget> Config::ResolveAlias(std::string_view alias) const {
  for (const LaneConfig& lane : lanes) {
    for (const ModelRoute& route : lane.models) {
      if (route.alias == alias) return AliasTarget{&lane, &route};
    }
  }
  return std::nullopt;
}

std::vector<std::string> Config::Aliases() const {
  std::vector<std::string> out;
  std::set<std::string_view> seen;
  for (const LaneConfig& lane : lanes) {
    for (const ModelRoute& route : lane.models) {
      if (seen.insert(route.alias).second) out.push_back(route.alias);
    }
  }
  return out;
}

}  // namespace lanewise::config
