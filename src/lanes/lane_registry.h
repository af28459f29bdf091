// LaneRegistry: the lanes built from one config snapshot, by name.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "lanes/lane.h"

namespace lanewise::lanes {

class LaneRegistry {
 public:
  // Builds an adapter for every lane of the config (throws only on a bad CA file).
  static core::Result<std::shared_ptr<LaneRegistry>> Build(const config::Config& config);

  // Wraps lanes built elsewhere (tests inject fakes through this seam).
  static std::shared_ptr<LaneRegistry> FromLanes(std::vector<std::unique_ptr<Lane>> lanes);

  Lane* Find(std::string_view name) const;
  const std::map<std::string, std::unique_ptr<Lane>, std::less<>>& lanes() const { return lanes_; }

 private:
  std::map<std::string, std::unique_ptr<Lane>, std::less<>> lanes_;
};

}  // namespace lanewise::lanes
