// lanewise-eval-pii: prints the PII detection figures (see pii_eval.h).
//   lanewise-eval-pii [--data DIR] [--gazetteers DIR] [--examples N] [--type TYPE]
#include <cstdlib>
#include <iostream>
#include <string>

#include "eval/pii_eval.h"

int main(int argc, char** argv) {
  lanewise::inspect::PiiEvalOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--data") {
      options.data_dir = next();
    } else if (arg == "--gazetteers") {
      options.gazetteer_dir = next();
    } else if (arg == "--examples") {
      options.examples = std::atoi(next().c_str());
    } else if (arg == "--type") {
      options.example_type = next();
    } else {
      std::cerr << "usage: lanewise-eval-pii [--data DIR] [--gazetteers DIR] [--examples N] "
                   "[--type TYPE]\n";
      return 2;
    }
  }
  return lanewise::inspect::RunPiiEval(options, std::cout);
}
