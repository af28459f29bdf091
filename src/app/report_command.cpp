#include "app/report_command.h"

#include <chrono>
#include <fstream>
#include <ostream>

#include "app/audit_command.h"
#include "app/review_report.h"
#include "audit/audit_query.h"
#include "audit/review_summary.h"
#include "audit/store.h"

namespace lanewise::app {

int RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "html" && options.format != "md") {
    err << "lanewise report: --format must be html or md\n";
    return 2;
  }
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  auto since = ParseTimeArgument(options.since, now);
  auto until = options.until.empty() ? core::Result<std::int64_t>(now)
                                     : ParseTimeArgument(options.until, now);
  if (!since.ok() || !until.ok()) {
    err << "lanewise report: " << (since.ok() ? until : since).status().message() << "\n";
    return 2;
  }
  auto store = OpenExistingStore(options.db_path, "");
  if (!store.ok()) {
    err << "lanewise report: " << store.status().message() << "\n";
    return 2;
  }
  audit::QueryFilter filter;
  filter.since_ms = since.value();
  filter.until_ms = until.value();
  auto records = audit::QueryRecords(*store.value(), filter);
  if (!records.ok()) {
    err << "lanewise report: " << records.status().message() << "\n";
    return 2;
  }
  const audit::ReviewSummary summary =
      audit::Summarize(records.value(), since.value(), until.value());
  const std::string text =
      options.format == "md" ? RenderReviewMarkdown(summary) : RenderReviewHtml(summary);
  if (options.out.empty()) {
    out << text;
    return 0;
  }
  std::ofstream file(options.out, std::ios::binary | std::ios::trunc);
  file << text;
  if (!file.good()) {
    err << "lanewise report: cannot write " << options.out << "\n";
    return 2;
  }
  out << R"({"out":")" << options.out << R"(","decisions":)" << summary.decisions << "}\n";
  return 0;
}

}  // namespace lanewise::app
