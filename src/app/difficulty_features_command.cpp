#include "app/difficulty_features_command.h"

#include <boost/json/parse.hpp>
#include <cstdio>
#include <istream>
#include <ostream>

#include "inspect/difficulty/difficulty_dump.h"
#include "inspect/difficulty/difficulty_model.h"
#include "inspect/difficulty/prompt_body.h"

namespace lanewise::app {

int RunDifficultyFeatures(const DifficultyFeaturesOptions& options, std::istream& in,
                          std::ostream& out, std::ostream& err) {
  if (options.describe) {
    out << inspect::kDifficultyFeatureVersion << " " << inspect::kDifficultyFeatureCount << "\n";
    return 0;
  }
  std::shared_ptr<const inspect::DifficultyModel> model;
  if (!options.weights.empty()) {
    auto loaded = inspect::DifficultyModel::Load(options.weights);
    if (!loaded.ok()) {
      err << loaded.status().message() << "\n";
      return 1;
    }
    model = std::move(loaded).value();
  }
  inspect::RequestPrompt prompt;
  inspect::DifficultyFeatures features;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(line, ec);
    auto body = ec ? core::Result<boost::json::object>(core::InvalidArgument(ec.message()))
                   : inspect::PromptBody(parsed);
    if (!body.ok()) {
      err << "stdin:" << line_number << ": " << body.status().message() << "\n";
      return 1;
    }
    inspect::ReadRequestPrompt(body.value(), prompt);
    inspect::ExtractDifficultyFeatures(prompt, features);
    if (model) {
      char score[32];
      std::snprintf(score, sizeof score, "%.17g", model->Score(features));
      out << score << "\n";
    } else {
      out << inspect::DifficultyFeatureLine(features) << "\n";
    }
  }
  return 0;
}

}  // namespace lanewise::app
