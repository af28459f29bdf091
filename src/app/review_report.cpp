#include "app/review_report.h"

#include <cstdio>
#include <ctime>

#include "app/svg_chart.h"

namespace lanewise::app {
namespace {

std::string Time(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &tm);
  return buffer;
}

std::string Fixed(double value, int decimals) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

double Sum(const std::vector<audit::LabelledValue>& values) {
  double total = 0;
  for (const auto& v : values) total += v.value;
  return total;
}

std::string Section(const std::string& title, const std::string& body) {
  return "<section><h2>" + HtmlEscape(title) + "</h2>" + body + "</section>\n";
}

std::string LatencyTable(const audit::ReviewSummary& s) {
  std::string t =
      "<table data-table=\"latency\"><tr><th>lane</th><th>requests</th><th>p50 ms</th><th>p90 "
      "ms</th><th>p99 ms</th></tr>";
  for (const auto& l : s.latency) {
    t += "<tr><td>" + HtmlEscape(l.lane) + "</td><td>" + std::to_string(l.requests) + "</td><td>" +
         Fixed(l.p50_ms, 1) + "</td><td>" + Fixed(l.p90_ms, 1) + "</td><td>" + Fixed(l.p99_ms, 1) +
         "</td></tr>";
  }
  return t + "</table>";
}

std::string VersionsTable(const audit::ReviewSummary& s) {
  std::string t =
      "<table data-table=\"versions\"><tr><th>policy version</th><th>decisions</th><th>first</"
      "th><th>last</th></tr>";
  for (const auto& v : s.versions) {
    t += "<tr><td><code>" + HtmlEscape(v.version) + "</code></td><td>" +
         std::to_string(v.decisions) + "</td><td>" + Time(v.first_ms) + "</td><td>" +
         Time(v.last_ms) + "</td></tr>";
  }
  return t + "</table>";
}

}  // namespace

std::string RenderReviewHtml(const audit::ReviewSummary& s) {
  std::string html =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lanewise weekly "
      "review</title><style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;"
      "max-width:980px}h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px "
      "solid #ddd}table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid "
      "#eee;text-align:left}.kpi{display:inline-block;margin:0 24px 8px 0}.kpi b{display:block;"
      "font-size:22px}</style></head><body>\n";
  html += "<h1>Lanewise weekly review</h1><p>" + Time(s.since_ms) + " to " + Time(s.until_ms) +
          "</p>\n<div>";
  auto kpi = [&html](const std::string& id, const std::string& value, const std::string& label) {
    html += "<span class=\"kpi\" data-kpi=\"" + id + "\"><b>" + value + "</b>" + label + "</span>";
  };
  kpi("decisions", std::to_string(s.decisions), "decisions");
  kpi("incomplete", std::to_string(s.incomplete), "incomplete records");
  kpi("refusals", Fixed(Sum(s.refusals), 0), "fail-closed refusals");
  kpi("boundary_bytes", Fixed(Sum(s.boundary_bytes), 0), "bytes sent off this site");
  kpi("cost", "$" + Fixed(s.cost_usd, 4), "estimated cost");
  kpi("cost_avoided", "$" + Fixed(s.cost_avoided_usd, 4), "cost avoided");
  html += "</div>\n";
  html += Section("Route distribution over time (decisions per day, by serving lane)",
                  DailyStackedChart("daily_routes", s.days, s.lanes));
  html += Section("Routes by data class", HorizontalBarChart("routes", s.routes, ""));
  html += Section("Fail-closed refusals", HorizontalBarChart("refusals", s.refusals, ""));
  html += Section("Fallbacks, by the failure that caused them",
                  HorizontalBarChart("fallbacks", s.fallbacks, ""));
  html += Section("Escalations", HorizontalBarChart("escalations", s.escalations, ""));
  html += Section("Data that crossed the boundary (request bytes to non-local lanes)",
                  HorizontalBarChart("boundary_bytes", s.boundary_bytes, "B"));
  html += Section("Redacted entities, by type", HorizontalBarChart("redacted", s.redacted, ""));
  html += Section("Latency per lane (whole request)", LatencyTable(s));
  html += Section("Policy versions in force", VersionsTable(s));
  html +=
      "<p style=\"color:#666\">From the audit store: ids, classes, lanes, counts and "
      "numbers only; no prompt text or values. Costs are the lanes' configured price "
      "estimates.</p></body></html>\n";
  return html;
}

std::string RenderReviewMarkdown(const audit::ReviewSummary& s) {
  std::string md =
      "# Lanewise weekly review\n\n" + Time(s.since_ms) + " to " + Time(s.until_ms) + "\n\n";
  md += "- decisions: " + std::to_string(s.decisions) + " (" + std::to_string(s.incomplete) +
        " incomplete)\n";
  md += "- fail-closed refusals: " + Fixed(Sum(s.refusals), 0) + "\n";
  md += "- bytes sent off this site: " + Fixed(Sum(s.boundary_bytes), 0) + "\n";
  md += "- estimated cost: $" + Fixed(s.cost_usd, 4) + ", cost avoided: $" +
        Fixed(s.cost_avoided_usd, 4) + "\n";
  auto table = [&md](const std::string& title, const std::vector<audit::LabelledValue>& rows) {
    md += "\n## " + title + "\n\n| | count |\n|---|---|\n";
    if (rows.empty()) md += "| none | 0 |\n";
    for (const auto& r : rows) md += "| " + r.label + " | " + Fixed(r.value, 0) + " |\n";
  };
  md += "\n## Decisions per day, by serving lane\n\n| day |";
  for (const auto& lane : s.lanes) md += " " + lane + " |";
  md += "\n|---|";
  for (std::size_t i = 0; i < s.lanes.size(); ++i) md += "---|";
  md += "\n";
  for (const auto& d : s.days) {
    md += "| " + d.day + " |";
    for (const auto& lane : s.lanes) {
      auto it = d.by_lane.find(lane);
      md += " " + std::to_string(it == d.by_lane.end() ? 0 : it->second) + " |";
    }
    md += "\n";
  }
  table("Routes by data class", s.routes);
  table("Fail-closed refusals", s.refusals);
  table("Fallbacks", s.fallbacks);
  table("Escalations", s.escalations);
  table("Bytes to non-local lanes", s.boundary_bytes);
  table("Redacted entities", s.redacted);
  md +=
      "\n## Latency per lane\n\n| lane | requests | p50 ms | p90 ms | p99 ms |\n|---|---|---|---|"
      "---|\n";
  for (const auto& l : s.latency) {
    md += "| " + l.lane + " | " + std::to_string(l.requests) + " | " + Fixed(l.p50_ms, 1) + " | " +
          Fixed(l.p90_ms, 1) + " | " + Fixed(l.p99_ms, 1) + " |\n";
  }
  md += "\n## Policy versions\n\n| version | decisions | first | last |\n|---|---|---|---|\n";
  for (const auto& v : s.versions) {
    md += "| `" + v.version + "` | " + std::to_string(v.decisions) + " | " + Time(v.first_ms) +
          " | " + Time(v.last_ms) + " |\n";
  }
  return md;
}

}  // namespace lanewise::app
