#include "inspect/gazetteer_detectors.h"

namespace lanewise::inspect {

class Gazetteer {};

GazetteerDetectors::GazetteerDetectors(std::shared_ptr<const Gazetteer> gazetteer)
    : gazetteer_(std::move(gazetteer)) {}
GazetteerDetectors::~GazetteerDetectors() = default;

core::Result<std::unique_ptr<const GazetteerDetectors>> GazetteerDetectors::Load(
    const std::string& /*dir*/) {
  return std::unique_ptr<const GazetteerDetectors>(
      new GazetteerDetectors(std::make_shared<const Gazetteer>()));
}

void GazetteerDetectors::Detect(std::string_view, const TypeTable&, std::vector<Finding>&) const {}

}  // namespace lanewise::inspect
