// The cascade as a router on GSM8K, for `lanewise eval-routing`: the weak model answers
// every prompt, the verifier (answer_verifier.h) reads that answer only, and the request
// escalates to the strong model when the verifier's doubt is at or above the threshold.
// Scored with RouteLLM's protocol like the other routers (its % strong calls is the
// escalation rate; the weak call is always paid). The weak answers come from
// data/routing/gsm8k_weak_answers.jsonl, which holds the prompt and the weak model's
// response only: never the strong model's response or either correctness column.
#pragma once

#include <iosfwd>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "eval/routing_eval.h"

namespace lanewise::inspect {

// prompt -> the weak model's answer.
using WeakAnswers = std::unordered_map<std::string, std::string>;

// One JSON object per line: {"prompt": "...", "weak_answer": "..."}; other keys ignored.
core::Result<WeakAnswers> LoadWeakAnswers(const std::string& path);

// The verifier's doubt for each prompt, from that prompt's weak answer; an error names
// the first prompt without one. It is given the prompts only, never a row's outcomes.
core::Result<std::vector<double>> CascadeScores(const std::vector<std::string>& prompts,
                                                const WeakAnswers& answers);
std::vector<std::string> PromptsOf(const std::vector<RoutingRow>& rows);

// The cascade's section of the report: APGR and CPTs of the cascade next to the
// difficulty router, prompt length and random on the same rows, then both routers'
// curve points (% strong calls, mean quality). `label` names the rows (e.g. "TEST split").
void WriteCascadeSection(std::ostream& out, const std::string& label,
                         const std::vector<RoutingRow>& rows, const std::vector<double>& cascade,
                         const std::vector<double>& difficulty);

}  // namespace lanewise::inspect
