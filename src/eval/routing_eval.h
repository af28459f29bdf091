// `lanewise eval-routing`: the difficulty model scored with RouteLLM's protocol
// (routing_metrics.h) on the project's copy of the routing data (data/routing), next to
// the random and prompt-length baselines:
//   - TEST split (first byte of SHA-256 over the prompt odd) of GSM8K, MMLU, MT-Bench;
//   - out of domain: the model trained on MMLU-train and AlpacaEval-train only
//     (data/difficulty/ood), scored on all of GSM8K and MT-Bench;
//   - MT-Bench's spread: bootstrap resamples of its questions;
//   - calibration: the strong share each objective gives on the TEST split;
//   - the cascade on GSM8K (cascade_router.h): escalation decided by a verifier that
//     reads only the weak model's answer, TEST split (and TRAIN, where its signals were
//     chosen), next to the difficulty router.
// With --prompts, predicts instead the strong share of a prompt file at one objective
// (what the gateway will do with them).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/result.h"
#include "inspect/difficulty/difficulty_model.h"

namespace lanewise::inspect {

struct RoutingEvalOptions {
  std::string data_dir = "data/routing";
  std::string model_dir = "data/difficulty";
  std::string ood_model_dir = "data/difficulty/ood";
  int bootstrap_resamples = 1000;
  // Prediction mode: a JSON-lines file of prompts ({"prompt"} or {"messages"}), the
  // objective (or a strong share in [0, 1]) to route them at.
  std::string prompts;
  std::string objective = "balanced";
  double strong_share = -1.0;  // < 0: use the objective
};

// One row of data/routing/*.jsonl.
struct RoutingRow {
  std::string set;
  std::string prompt;
  double weak = 0.0;
  double strong = 0.0;
};

core::Result<std::vector<RoutingRow>> LoadRoutingRows(const std::string& path);
// The data README's split: TRAIN when SHA-256(prompt)[0] is even.
bool IsTrainPrompt(const std::string& prompt);

int RunRoutingEval(const RoutingEvalOptions& options, std::ostream& out, std::ostream& err);

}  // namespace lanewise::inspect
