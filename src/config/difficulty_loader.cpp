// policy.inspection.difficulty_dir: the difficulty model (weights for the inspector,
// calibration for capability routes).
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "config/policy_loader.h"

namespace lanewise::config {
namespace {

constexpr const char* kDefaultDifficultyDir = "data/difficulty";

bool IsModelDir(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / "weights.txt", ec) &&
         std::filesystem::is_regular_file(dir / "calibration.txt", ec);
}

// The shipped data folder holds gazetteers/ and difficulty/ side by side: a config that
// names only its gazetteer folder (or is copied elsewhere with that one path rewritten)
// finds the model next to it.
std::optional<std::filesystem::path> BesideGazetteers(const std::string& gazetteer_dir) {
  if (gazetteer_dir.empty()) return std::nullopt;
  std::filesystem::path dir = std::filesystem::path(gazetteer_dir).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();  // a trailing '/'
  std::filesystem::path beside = dir.parent_path() / "difficulty";
  if (!IsModelDir(beside)) return std::nullopt;
  return beside;
}

}  // namespace

void ReadDifficulty(const std::optional<NodeRef>& inspection, const LoadOptions& options,
                    Policy* policy) {
  const std::optional<NodeRef> node = inspection.has_value() && !inspection->IsNull()
                                          ? inspection->Find("difficulty_dir")
                                          : std::nullopt;
  std::filesystem::path dir;
  if (node.has_value()) {
    dir = node->NonEmptyString();
    if (dir.is_relative() && !options.base_dir.empty()) dir = options.base_dir / dir;
    if (!IsModelDir(dir)) {
      node->Fail("difficulty directory \"" + dir.string() +
                 "\" does not hold weights.txt and calibration.txt");
    }
  } else if (auto beside = BesideGazetteers(policy->inspection.gazetteer_dir)) {
    dir = *beside;
  } else if (IsModelDir(kDefaultDifficultyDir)) {
    dir = kDefaultDifficultyDir;  // like gazetteer_dir: relative to the working directory
  } else {
    return;  // requests stay unscored; capability routes are refused
  }
  const std::string path = (dir / "calibration.txt").string();
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto calibration = core::ParseDifficultyCalibration(text.str(), path);
  if (!calibration.ok()) {
    if (node.has_value()) node->Fail(calibration.status().message());
    throw ConfigError(calibration.status().message());
  }
  policy->difficulty_calibration = std::move(calibration).value();
  policy->inspection.difficulty_weights = (dir / "weights.txt").string();
}

LanePrice ReadLanePrice(const NodeRef& node) {
  node.ExpectMap();
  node.RejectUnknownKeys(
      {"input_per_mtok", "output_per_mtok", "per_second", "output_tokens_per_second"});
  LanePrice price;
  constexpr double kMaxPrice = 1e6;
  if (auto n = node.Find("input_per_mtok")) price.input_per_mtok = n->Double(0, kMaxPrice);
  if (auto n = node.Find("output_per_mtok")) price.output_per_mtok = n->Double(0, kMaxPrice);
  if (auto n = node.Find("per_second")) price.per_second = n->Double(0, kMaxPrice);
  if (auto n = node.Find("output_tokens_per_second")) {
    price.output_tokens_per_second = n->Double(0.001, 1e9);
  }
  return price;
}

}  // namespace lanewise::config
