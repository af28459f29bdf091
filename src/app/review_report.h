// The weekly review rendered from a ReviewSummary: a self-contained HTML page (inline CSS
// and SVG charts, no scripts, no external assets) or Markdown.
#pragma once

#include <string>

#include "audit/review_summary.h"

namespace lanewise::app {

std::string RenderReviewHtml(const audit::ReviewSummary& summary);
std::string RenderReviewMarkdown(const audit::ReviewSummary& summary);

}  // namespace lanewise::app
