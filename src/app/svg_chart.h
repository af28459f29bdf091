// Inline SVG charts for the weekly review: no scripts, no external assets. Every chart is
// an <svg data-chart="ID" data-total="N"> and every bar a <rect data-label data-value>,
// so a test (or a reader's tool) can read the numbers back from the rendered page.
#pragma once

#include <string>
#include <vector>

#include "audit/review_summary.h"

namespace lanewise::app {

// One horizontal bar per value, longest first as given.
std::string HorizontalBarChart(const std::string& id, const std::vector<audit::LabelledValue>& bars,
                               const std::string& unit);

// One column per day, stacked by serving lane, with a legend.
std::string DailyStackedChart(const std::string& id, const std::vector<audit::DayRoutes>& days,
                              const std::vector<std::string>& lanes);

std::string HtmlEscape(std::string_view text);

}  // namespace lanewise::app
