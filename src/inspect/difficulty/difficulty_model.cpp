#include "inspect/difficulty/difficulty_model.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace lanewise::inspect {
namespace {

constexpr std::string_view kFormatLine = "format lanewise-difficulty-weights 1";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool ParseDouble(std::string_view s, double& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(out);
}

struct ScoreBuffers {
  RequestPrompt prompt;
  DifficultyFeatures features;
};

ScoreBuffers& ThreadScoreBuffers() {
  thread_local ScoreBuffers buffers;
  return buffers;
}

}  // namespace

core::Result<std::shared_ptr<const DifficultyModel>> DifficultyModel::Load(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read difficulty weights \"" + path + "\"");
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

core::Result<std::shared_ptr<const DifficultyModel>> DifficultyModel::Parse(
    std::string_view text, std::string_view origin) {
  std::shared_ptr<DifficultyModel> model(new DifficultyModel());
  model->weights_.assign(kDifficultyFeatureCount, 0.0f);
  bool format_seen = false, features_seen = false, bias_seen = false;
  std::size_t line_number = 0;
  auto fail = [&](const std::string& why) {
    return core::InvalidArgument(std::string(origin) + ":" + std::to_string(line_number) + ": " +
                                 why);
  };
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = Trim(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (!format_seen) {
      if (line != kFormatLine) return fail("expected \"" + std::string(kFormatLine) + "\"");
      format_seen = true;
      continue;
    }
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return fail("expected \"<key> <value>\"");
    const std::string_view key = line.substr(0, space);
    const std::string_view value = Trim(line.substr(space + 1));
    if (key == "features") {
      if (value != kDifficultyFeatureVersion) {
        return fail("weights are for features \"" + std::string(value) + "\", this build has \"" +
                    std::string(kDifficultyFeatureVersion) + "\": retrain");
      }
      features_seen = true;
    } else if (key == "bias") {
      if (!ParseDouble(value, model->bias_)) return fail("bias is not a number");
      bias_seen = true;
    } else {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
      double weight = 0;
      if (ec != std::errc() || end != key.data() + key.size() || index >= kDifficultyFeatureCount) {
        return fail("unknown key or feature index \"" + std::string(key) + "\"");
      }
      if (!ParseDouble(value, weight)) return fail("weight is not a number");
      model->weights_[index] = static_cast<float>(weight);
    }
  }
  if (!format_seen || !features_seen || !bias_seen) {
    return core::InvalidArgument(std::string(origin) +
                                 ": incomplete difficulty weights (format, features, bias)");
  }
  return std::shared_ptr<const DifficultyModel>(std::move(model));
}

double DifficultyModel::Score(const DifficultyFeatures& features) const {
  const float* w = weights_.data();
  const std::size_t kind = features.KindOffset();
  double z = bias_;
  for (std::size_t i = 0; i < kDenseFeatureCount; ++i) {
    z += static_cast<double>(features.dense[i]) *
         (static_cast<double>(w[i]) + static_cast<double>(w[kind + i]));
  }
  const float* shared_weights = w + kHashedFeatureOffset;
  const float* kind_weights = w + features.KindHashedOffset();
  double hashed_sum = 0.0;
  for (std::uint32_t bucket : features.hashed) {
    hashed_sum += static_cast<double>(shared_weights[bucket]) + kind_weights[bucket];
  }
  z += hashed_sum * features.HashedValue();
  return 1.0 / (1.0 + std::exp(-z));
}

double DifficultyModel::ScoreRequest(const boost::json::object& body) const {
  ScoreBuffers& buffers = ThreadScoreBuffers();
  ReadRequestPrompt(body, buffers.prompt);
  ExtractDifficultyFeatures(buffers.prompt, buffers.features);
  return Score(buffers.features);
}

}  // namespace lanewise::inspect
