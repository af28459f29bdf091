#include "eval/routing_eval.h"

#include <openssl/sha.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>
#include <utility>

#include "core/difficulty_calibration.h"
#include "eval/cascade_router.h"
#include "eval/json_lines.h"
#include "eval/routing_metrics.h"
#include "inspect/difficulty/prompt_body.h"

namespace lanewise::inspect {
namespace {

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

double NumberOf(const boost::json::value* v) {
  if (v == nullptr) return 0.0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  return 0.0;
}

std::vector<RoutedItem> Items(const std::vector<RoutingRow>& rows,
                              const std::vector<double>& scores) {
  std::vector<RoutedItem> items;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    items.push_back({scores[i], rows[i].weak, rows[i].strong});
  }
  return items;
}

// RouteLLM's length heuristic: longer prompts to the strong model (ties broken by order).
std::vector<double> LengthScores(const std::vector<RoutingRow>& rows) {
  std::vector<double> scores;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    scores.push_back(static_cast<double>(CodePoints(rows[i].prompt)) +
                     1e-6 * static_cast<double>(i));
  }
  return scores;
}

std::vector<double> ModelScores(const DifficultyModel& model, const std::vector<RoutingRow>& rows) {
  std::vector<double> scores;
  scores.reserve(rows.size());
  for (const RoutingRow& row : rows)
    scores.push_back(model.ScoreRequest(SingleUserMessage(row.prompt)));
  return scores;
}

std::string Cells(const RoutingMetrics& m) {
  return Format("%.3f", m.apgr) + " | " + Format("%.1f%%", m.cpt50) + " | " +
         Format("%.1f%%", m.cpt80);
}

void Row(std::ostream& out, const std::string& setting, const std::string& set,
         const std::vector<RoutingRow>& rows, const std::vector<double>& scores) {
  const std::vector<RoutedItem> items = Items(rows, scores);
  out << "| " << setting << " | " << set << " | " << rows.size() << " | "
      << Cells(EvaluateRouter(items)) << " | "
      << Cells(EvaluateRouter(Items(rows, LengthScores(rows)))) << " | "
      << Cells(RandomRouterMetrics(items)) << " |\n";
}

std::vector<RoutingRow> Select(const std::vector<RoutingRow>& rows, const std::string& set,
                               int split) {  // split: 0 train, 1 test, -1 all
  std::vector<RoutingRow> out;
  for (const RoutingRow& row : rows) {
    if (row.set != set) continue;
    if (split >= 0 && IsTrainPrompt(row.prompt) != (split == 0)) continue;
    out.push_back(row);
  }
  return out;
}

core::Result<core::DifficultyCalibration> LoadCalibration(const std::string& model_dir) {
  const std::string path = model_dir + "/calibration.txt";
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return core::ParseDifficultyCalibration(text.value(), path);
}

int PredictShare(const RoutingEvalOptions& options, const DifficultyModel& model,
                 const core::DifficultyCalibration& calibration, std::ostream& out,
                 std::ostream& err) {
  auto text = ReadTextFile(options.prompts);
  if (!text.ok()) {
    err << text.status().message() << "\n";
    return 1;
  }
  double share = options.strong_share;
  if (share < 0) {
    auto objective_share = calibration.ShareForObjective(options.objective);
    if (!objective_share.has_value()) {
      err << "unknown objective \"" << options.objective << "\"\n";
      return 1;
    }
    share = *objective_share;
  }
  const double threshold = calibration.ThresholdForShare(share);
  std::istringstream lines(text.value());
  std::string line;
  std::size_t n = 0, strong = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    auto body = PromptBody(boost::json::parse(line, ec));
    if (ec || !body.ok()) {
      err << options.prompts << ":" << n + 1 << ": not a prompt row\n";
      return 1;
    }
    ++n;
    strong += model.ScoreRequest(body.value()) >= threshold ? 1 : 0;
  }
  out << "{\"prompts\":" << n << ",\"strong\":" << strong << ",\"strong_share\":"
      << Format("%.6f", n == 0 ? 0.0 : static_cast<double>(strong) / static_cast<double>(n))
      << ",\"objective\":\"" << (options.strong_share < 0 ? options.objective : "") << "\""
      << ",\"calibrated_share\":" << Format("%.6f", share)
      << ",\"threshold\":" << Format("%.9g", threshold) << "}\n";
  return 0;
}

}  // namespace

bool IsTrainPrompt(const std::string& prompt) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(prompt.data()), prompt.size(), digest);
  return digest[0] % 2 == 0;
}

core::Result<std::vector<RoutingRow>> LoadRoutingRows(const std::string& path) {
  std::vector<RoutingRow> rows;
  core::Status read = ForEachJsonObjectLine(path, "routing row", [&](const boost::json::object& o) {
    const boost::json::value* prompt = o.if_contains("prompt");
    const boost::json::value* set = o.if_contains("set");
    if (prompt == nullptr || !prompt->is_string() || set == nullptr || !set->is_string()) {
      return false;
    }
    rows.push_back({std::string(set->get_string()), std::string(prompt->get_string()),
                    NumberOf(o.if_contains("weak")), NumberOf(o.if_contains("strong"))});
    return true;
  });
  if (!read.ok()) return read;
  return rows;
}

int RunRoutingEval(const RoutingEvalOptions& options, std::ostream& out, std::ostream& err) {
  auto model = DifficultyModel::Load(options.model_dir + "/weights.txt");
  auto calibration = LoadCalibration(options.model_dir);
  for (const core::Status& s : {model.status(), calibration.status()}) {
    if (!s.ok()) {
      err << s.message() << "\n";
      return 1;
    }
  }
  if (!options.prompts.empty()) {
    return PredictShare(options, *model.value(), calibration.value(), out, err);
  }
  auto ood = DifficultyModel::Load(options.ood_model_dir + "/weights.txt");
  if (!ood.ok()) {
    err << ood.status().message() << "\n";
    return 1;
  }
  std::vector<RoutingRow> rows;
  for (const char* set : {"gsm8k", "mmlu", "mt_bench"}) {
    auto loaded = LoadRoutingRows(options.data_dir + "/" + set + ".jsonl");
    if (!loaded.ok()) {
      err << loaded.status().message() << "\n";
      return 1;
    }
    rows.insert(rows.end(), loaded->begin(), loaded->end());
  }

  out << "| setting | set | n | router APGR | CPT(50%) | CPT(80%) | length APGR | CPT(50%) | "
         "CPT(80%) | random APGR | CPT(50%) | CPT(80%) |\n"
      << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const char* set : {"gsm8k", "mmlu", "mt_bench"}) {
    const std::vector<RoutingRow> test = Select(rows, set, 1);
    Row(out, "test split", set, test, ModelScores(*model.value(), test));
  }
  for (const char* set : {"gsm8k", "mt_bench"}) {
    const std::vector<RoutingRow> all = Select(rows, set, -1);
    Row(out, "out of domain (MMLU+AlpacaEval-trained)", set, all, ModelScores(*ood.value(), all));
  }

  auto weak_answers = LoadWeakAnswers(options.data_dir + "/gsm8k_weak_answers.jsonl");
  if (!weak_answers.ok()) {
    err << weak_answers.status().message() << "\n";
    return 1;
  }
  const std::pair<const char*, int> cascade_splits[] = {
      {"TEST split", 1},
      {"TRAIN split (the verifier's signals were chosen here; the difficulty router was "
       "trained here)",
       0},
  };
  for (const auto& [label, split] : cascade_splits) {
    const std::vector<RoutingRow> gsm8k = Select(rows, "gsm8k", split);
    auto cascade = CascadeScores(PromptsOf(gsm8k), weak_answers.value());
    if (!cascade.ok()) {
      err << cascade.status().message() << "\n";
      return 1;
    }
    WriteCascadeSection(out, label, gsm8k, cascade.value(), ModelScores(*model.value(), gsm8k));
  }

  out << "\nMT-Bench APGR spread (" << options.bootstrap_resamples
      << " bootstrap resamples of the questions; mean, std, 95% interval):\n";
  struct Spread {
    const char* name;
    std::vector<RoutingRow> rows;
    const DifficultyModel* model;
  };
  for (const Spread& s : {Spread{"test split", Select(rows, "mt_bench", 1), model->get()},
                          Spread{"out of domain", Select(rows, "mt_bench", -1), ood->get()}}) {
    for (bool length : {false, true}) {
      const auto scores = length ? LengthScores(s.rows) : ModelScores(*s.model, s.rows);
      const BootstrapSummary b =
          BootstrapApgr(Items(s.rows, scores), options.bootstrap_resamples, 7);
      out << "  " << s.name << ", " << (length ? "prompt length" : "router") << ": "
          << Format("%.3f", b.mean) << " +- " << Format("%.3f", b.stddev) << " ["
          << Format("%.3f", b.low) << ", " << Format("%.3f", b.high) << "]\n";
    }
  }

  out << "\nCalibration on the TEST split (the four sets the quantiles were drawn from): "
         "objective -> share asked, share routed strong\n";
  auto alpaca = LoadRoutingRows(options.data_dir + "/alpacaeval.jsonl");
  if (!alpaca.ok()) {
    err << alpaca.status().message() << "\n";
    return 1;
  }
  rows.insert(rows.end(), alpaca->begin(), alpaca->end());
  std::vector<double> test_scores;
  for (const char* set : {"gsm8k", "mmlu", "mt_bench", "alpacaeval"}) {
    const auto scores = ModelScores(*model.value(), Select(rows, set, 1));
    test_scores.insert(test_scores.end(), scores.begin(), scores.end());
  }
  for (const auto& [objective, share] : calibration->objective_shares) {
    const double threshold = calibration->ThresholdForShare(share);
    const auto strong = std::count_if(test_scores.begin(), test_scores.end(),
                                      [&](double s) { return s >= threshold; });
    out << "  " << objective << ": " << Format("%.3f", share) << " -> "
        << Format("%.3f", static_cast<double>(strong) / static_cast<double>(test_scores.size()))
        << " (threshold " << Format("%.4f", threshold) << ")\n";
  }
  return 0;
}

}  // namespace lanewise::inspect
