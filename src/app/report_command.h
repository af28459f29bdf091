// `lanewise report`: the weekly review from the audit store (docs/evidence.md).
#pragma once

#include <iosfwd>
#include <string>

namespace lanewise::app {

struct ReportOptions {
  std::string db_path;
  std::string since = "7d";
  std::string until;            // empty: now
  std::string out;              // empty: stdout
  std::string format = "html";  // html | md
};

int RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace lanewise::app
