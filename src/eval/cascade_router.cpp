#include "eval/cascade_router.h"

#include <boost/json/parse.hpp>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>

#include "eval/answer_verifier.h"
#include "eval/json_lines.h"
#include "eval/routing_metrics.h"

namespace lanewise::inspect {
namespace {

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::vector<RoutedItem> Items(const std::vector<RoutingRow>& rows,
                              const std::vector<double>& scores) {
  std::vector<RoutedItem> items;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    items.push_back({scores[i], rows[i].weak, rows[i].strong});
  }
  return items;
}

void MetricsRow(std::ostream& out, const std::string& router, const RoutingMetrics& m) {
  out << "| " << router << " | " << Format("%.3f", m.apgr) << " | " << Format("%.1f%%", m.cpt50)
      << " | " << Format("%.1f%%", m.cpt80) << " |\n";
}

void CurveLine(std::ostream& out, const std::string& router,
               const std::vector<RoutingPoint>& curve) {
  out << "  " << router << ":";
  for (const RoutingPoint& p : curve) {
    out << " (" << Format("%.1f", p.strong_percent) << ", " << Format("%.3f", p.quality) << ")";
  }
  out << "\n";
}

}  // namespace

core::Result<WeakAnswers> LoadWeakAnswers(const std::string& path) {
  WeakAnswers answers;
  core::Status read =
      ForEachJsonObjectLine(path, "weak answer row", [&](const boost::json::object& o) {
        const boost::json::value* prompt = o.if_contains("prompt");
        const boost::json::value* answer = o.if_contains("weak_answer");
        if (prompt == nullptr || !prompt->is_string() || answer == nullptr ||
            !answer->is_string()) {
          return false;
        }
        answers[std::string(prompt->get_string())] = std::string(answer->get_string());
        return true;
      });
  if (!read.ok()) return read;
  return answers;
}

core::Result<std::vector<double>> CascadeScores(const std::vector<std::string>& prompts,
                                                const WeakAnswers& answers) {
  std::vector<double> scores;
  scores.reserve(prompts.size());
  for (const std::string& prompt : prompts) {
    auto it = answers.find(prompt);
    if (it == answers.end()) {
      return core::NotFound("no weak answer for the prompt \"" + prompt.substr(0, 60) + "\"");
    }
    scores.push_back(CheckMathAnswer(it->second).score);
  }
  return scores;
}

std::vector<std::string> PromptsOf(const std::vector<RoutingRow>& rows) {
  std::vector<std::string> prompts;
  prompts.reserve(rows.size());
  for (const RoutingRow& row : rows) prompts.push_back(row.prompt);
  return prompts;
}

void WriteCascadeSection(std::ostream& out, const std::string& label,
                         const std::vector<RoutingRow>& rows, const std::vector<double>& cascade,
                         const std::vector<double>& difficulty) {
  std::vector<double> length;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    length.push_back(static_cast<double>(CodePoints(rows[i].prompt)) +
                     1e-6 * static_cast<double>(i));
  }
  const std::vector<RoutedItem> cascade_items = Items(rows, cascade);
  const std::vector<RoutedItem> difficulty_items = Items(rows, difficulty);
  out << "\nCascade on GSM8K, " << label << " (n = " << rows.size()
      << "): the weak model answers first, the verifier reads only its answer\n"
      << "| router | APGR | CPT(50%) | CPT(80%) |\n|---|---|---|---|\n";
  MetricsRow(out, "cascade (weak-answer verifier)", EvaluateRouter(cascade_items));
  MetricsRow(out, "difficulty router", EvaluateRouter(difficulty_items));
  MetricsRow(out, "prompt length", EvaluateRouter(Items(rows, length)));
  MetricsRow(out, "random", RandomRouterMetrics(cascade_items));
  out << "Curve points (% strong calls, mean quality):\n";
  CurveLine(out, "cascade", RoutingCurve(cascade_items));
  CurveLine(out, "difficulty router", RoutingCurve(difficulty_items));
}

}  // namespace lanewise::inspect
