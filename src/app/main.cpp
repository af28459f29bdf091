// lanewise: the command-line entry point.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/check_command.h"
#include "app/serve_command.h"

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

  CLI11_PARSE(app, argc, argv);
  if (serve_cmd->parsed()) return lanewise::app::RunServe(serve);
  if (check_cmd->parsed()) return lanewise::app::RunCheck(check_path, std::cout, std::cerr);
  return 1;
}
