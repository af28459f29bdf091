// lanewise: the command-line entry point.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/audit_command.h"
#include "app/check_command.h"
#include "app/difficulty_features_command.h"
#include "app/explain_command.h"
#include "app/report_command.h"
#include "app/serve_command.h"
#include "eval/pii_eval.h"
#include "eval/routing_eval.h"

int main(int argc, char** argv) {
  CLI::App app{"Lanewise: a hybrid local/cloud LLM gateway"};
  app.require_subcommand(1);

  lanewise::app::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run the gateway");
  serve_cmd->add_option("-c,--config", serve.config_path, "YAML config file")->required();
  serve_cmd->add_option("--listen", serve.listen, "host:port, overrides server.listen");

  std::string check_path;
  auto* check_cmd = app.add_subcommand("check", "Validate a config file without serving");
  check_cmd->add_option("-c,--config", check_path, "YAML config file")->required();

  std::string explain_path;
  auto* explain_cmd = app.add_subcommand(
      "explain", "Decide a chat request read from stdin without calling any lane");
  explain_cmd->add_option("-c,--config", explain_path, "YAML config file")->required();

  lanewise::inspect::PiiEvalOptions eval;
  auto* eval_cmd =
      app.add_subcommand("eval-pii", "Score the entity detector on the Presidio-derived PII sets");
  eval_cmd->add_option("--data", eval.data_dir,
                       "folder holding presidio-synth/ and "
                       "presidio-recognizer-cases/");
  eval_cmd->add_option("--gazetteers", eval.gazetteer_dir, "gazetteer folder");
  eval_cmd->add_option("--examples", eval.examples, "print up to N misses per type");
  eval_cmd->add_option("--type", eval.example_type, "restrict examples to one type");

  lanewise::inspect::RoutingEvalOptions routing;
  auto* routing_cmd = app.add_subcommand(
      "eval-routing",
      "Score the difficulty router and the GSM8K cascade with RouteLLM's protocol (APGR, CPT) on "
      "data/routing");
  routing_cmd->add_option("--data", routing.data_dir,
                          "folder holding gsm8k/mmlu/mt_bench.jsonl, gsm8k_weak_answers.jsonl");
  routing_cmd->add_option("--model", routing.model_dir,
                          "folder holding weights.txt, calibration.txt");
  routing_cmd->add_option("--ood-model", routing.ood_model_dir, "the out-of-domain model's folder");
  routing_cmd->add_option("--bootstrap", routing.bootstrap_resamples, "MT-Bench resamples");
  routing_cmd->add_option("--prompts", routing.prompts,
                          "predict the strong share of these prompts (JSON lines) instead");
  routing_cmd->add_option("--objective", routing.objective, "with --prompts: the objective");
  routing_cmd->add_option("--strong-share", routing.strong_share,
                          "with --prompts: a strong share instead of an objective");

  lanewise::app::DifficultyFeaturesOptions features;
  auto* features_cmd = app.add_subcommand(
      "difficulty-features",
      "Print the difficulty features (or, with --weights, scores) of JSON lines on stdin");
  features_cmd->group("");  // for tools/train/train_difficulty.py, not for operators
  features_cmd->add_option("--weights", features.weights, "score with this weights file");
  features_cmd->add_flag("--describe", features.describe, "print the feature version and count");

  lanewise::app::AuditOptions audit;
  auto* audit_cmd = app.add_subcommand("audit", "Read and maintain the audit store");
  audit_cmd->require_subcommand(1);
  auto add_db = [&audit](CLI::App* cmd) {
    cmd->add_option("--db", audit.db_path,
                    "the audit database: a SQLite file (server.audit.sqlite) or a PostgreSQL URI / "
                    "connection string (server.audit.postgres)")
        ->required();
    cmd->add_option("--key-env", audit.key_env,
                    "environment variable holding the chain key (server.audit.chain_key_env)");
  };
  auto* verify_cmd = audit_cmd->add_subcommand(
      "verify", "Check the hash chain: edited, inserted, deleted records");
  add_db(verify_cmd);
  auto* query_cmd = audit_cmd->add_subcommand("query", "Print decision records (JSON or CSV)");
  add_db(query_cmd);
  query_cmd->add_option("--since", audit.since, "7d, 12h, unix ms or YYYY-MM-DDTHH:MM:SSZ");
  query_cmd->add_option("--until", audit.until, "same forms as --since");
  query_cmd->add_option("--class", audit.data_class, "effective data class");
  query_cmd->add_option("--lane", audit.lane, "a lane any attempt was sent to");
  query_cmd->add_option("--outcome", audit.outcome, "ok, a reason code, or incomplete");
  query_cmd->add_option("--tenant", audit.tenant, "tenant");
  query_cmd->add_option("--decision", audit.decision_id, "decision id");
  query_cmd->add_option("--format", audit.format, "json or csv");
  query_cmd->add_option("--limit", audit.limit, "at most this many records");
  auto* prune_cmd = audit_cmd->add_subcommand("prune", "Delete records older than an age");
  add_db(prune_cmd);
  prune_cmd->add_option("--older-than", audit.older_than, "e.g. 30d")->required();

  lanewise::app::ReportOptions report;
  auto* report_cmd =
      app.add_subcommand("report", "The weekly review from the audit store (HTML or Markdown)");
  report_cmd
      ->add_option("--db", report.db_path, "the audit database: a SQLite file or a PostgreSQL URI")
      ->required();
  report_cmd->add_option("--since", report.since, "7d (default), 12h, unix ms or ISO 8601");
  report_cmd->add_option("--until", report.until, "same forms; default now");
  report_cmd->add_option("--out", report.out, "write here instead of stdout");
  report_cmd->add_option("--format", report.format, "html (default) or md");

  CLI11_PARSE(app, argc, argv);
  if (report_cmd->parsed()) return lanewise::app::RunReport(report, std::cout, std::cerr);
  if (verify_cmd->parsed()) return lanewise::app::RunAuditVerify(audit, std::cout, std::cerr);
  if (query_cmd->parsed()) return lanewise::app::RunAuditQuery(audit, std::cout, std::cerr);
  if (prune_cmd->parsed()) return lanewise::app::RunAuditPrune(audit, std::cout, std::cerr);
  if (serve_cmd->parsed()) return lanewise::app::RunServe(serve);
  if (check_cmd->parsed()) return lanewise::app::RunCheck(check_path, std::cout, std::cerr);
  if (explain_cmd->parsed()) {
    return lanewise::app::RunExplain(explain_path, std::cin, std::cout, std::cerr);
  }
  if (routing_cmd->parsed())
    return lanewise::inspect::RunRoutingEval(routing, std::cout, std::cerr);
  if (features_cmd->parsed()) {
    return lanewise::app::RunDifficultyFeatures(features, std::cin, std::cout, std::cerr);
  }
  if (eval_cmd->parsed()) return lanewise::inspect::RunPiiEval(eval, std::cout);
  return 1;
}
