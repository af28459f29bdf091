#include "app/svg_chart.h"

#include <algorithm>
#include <cstdio>

namespace lanewise::app {
namespace {

constexpr const char* kColours[] = {"#2f6f9f", "#d9822b", "#3a9d5d", "#c23b3b",
                                    "#7b5ea7", "#8c6d46", "#d16ba5", "#6f6f6f"};

std::string Format(double value) {
  char buffer[32];
  if (value == static_cast<double>(static_cast<long long>(value))) {
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(value));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
  }
  return buffer;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HorizontalBarChart(const std::string& id, const std::vector<audit::LabelledValue>& bars,
                               const std::string& unit) {
  constexpr int kLabelWidth = 220, kBarWidth = 360, kRow = 24;
  double most = 0, total = 0;
  for (const auto& b : bars) {
    most = std::max(most, b.value);
    total += b.value;
  }
  const int height = std::max<int>(1, static_cast<int>(bars.size())) * kRow + 8;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" data-chart=\"" + HtmlEscape(id) +
                    "\" data-total=\"" + Format(total) + "\" width=\"" +
                    std::to_string(kLabelWidth + kBarWidth + 120) + "\" height=\"" +
                    std::to_string(height) + "\" role=\"img\">";
  if (bars.empty()) {
    svg += "<text x=\"4\" y=\"18\" font-size=\"13\" fill=\"#666\">none</text>";
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const int y = static_cast<int>(i) * kRow + 4;
    const double width = most > 0 ? b.value / most * kBarWidth : 0;
    svg += "<text x=\"" + std::to_string(kLabelWidth - 6) + "\" y=\"" + std::to_string(y + 15) +
           "\" font-size=\"13\" text-anchor=\"end\">" + HtmlEscape(b.label) + "</text>";
    svg += "<rect data-label=\"" + HtmlEscape(b.label) + "\" data-value=\"" + Format(b.value) +
           "\" x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           Format(std::max(width, 1.0)) + "\" height=\"18\" fill=\"" +
           kColours[i % std::size(kColours)] + "\"/>";
    svg += "<text x=\"" + Format(kLabelWidth + std::max(width, 1.0) + 6) + "\" y=\"" +
           std::to_string(y + 15) + "\" font-size=\"13\">" + Format(b.value) +
           (unit.empty() ? "" : " " + HtmlEscape(unit)) + "</text>";
  }
  return svg + "</svg>";
}

std::string DailyStackedChart(const std::string& id, const std::vector<audit::DayRoutes>& days,
                              const std::vector<std::string>& lanes) {
  constexpr int kColumn = 44, kPlotHeight = 200, kTop = 10, kLegend = 24;
  int most = 0, total = 0;
  for (const auto& d : days) {
    int day_total = 0;
    for (const auto& [lane, n] : d.by_lane) day_total += n;
    most = std::max(most, day_total);
    total += day_total;
  }
  const int width = std::max<int>(1, static_cast<int>(days.size())) * kColumn + 60;
  const int height = kTop + kPlotHeight + 40 + kLegend;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" data-chart=\"" + HtmlEscape(id) +
                    "\" data-total=\"" + std::to_string(total) + "\" width=\"" +
                    std::to_string(std::max(width, 360)) + "\" height=\"" + std::to_string(height) +
                    "\" role=\"img\">";
  for (std::size_t i = 0; i < days.size(); ++i) {
    const auto& d = days[i];
    const int x = 40 + static_cast<int>(i) * kColumn;
    double y = kTop + kPlotHeight;
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      auto it = d.by_lane.find(lanes[l]);
      if (it == d.by_lane.end() || it->second == 0) continue;
      const double h = most > 0 ? static_cast<double>(it->second) / most * kPlotHeight : 0;
      y -= h;
      svg += "<rect data-label=\"" + HtmlEscape(d.day + " " + lanes[l]) + "\" data-value=\"" +
             std::to_string(it->second) + "\" x=\"" + std::to_string(x) + "\" y=\"" + Format(y) +
             "\" width=\"" + std::to_string(kColumn - 8) + "\" height=\"" + Format(h) +
             "\" fill=\"" + kColours[l % std::size(kColours)] + "\"><title>" +
             HtmlEscape(d.day + " " + lanes[l] + ": " + std::to_string(it->second)) +
             "</title></rect>";
    }
    svg += "<text x=\"" + std::to_string(x + (kColumn - 8) / 2) + "\" y=\"" +
           std::to_string(kTop + kPlotHeight + 14) + "\" font-size=\"10\" text-anchor=\"middle\">" +
           HtmlEscape(d.day.substr(5)) + "</text>";
  }
  svg += "<text x=\"4\" y=\"" + std::to_string(kTop + 10) + "\" font-size=\"11\">" +
         std::to_string(most) + "</text>";
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    const int x = 40 + static_cast<int>(l) * 110;
    const int y = kTop + kPlotHeight + 30;
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) +
           "\" width=\"12\" height=\"12\" fill=\"" + kColours[l % std::size(kColours)] + "\"/>";
    svg += "<text x=\"" + std::to_string(x + 16) + "\" y=\"" + std::to_string(y + 11) +
           "\" font-size=\"12\">" + HtmlEscape(lanes[l]) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace lanewise::app
