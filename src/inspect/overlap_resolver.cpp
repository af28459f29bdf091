#include "inspect/overlap_resolver.h"

#include <algorithm>

namespace lanewise::inspect {

void ResolveOverlaps(std::vector<Finding>& findings, std::string_view text) {
  if (findings.size() < 2) return;
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.validated != b.validated) return a.validated;
    const auto la = a.end - a.start;
    const auto lb = b.end - b.start;
    if (la != lb) return la > lb;
    if (a.start != b.start) return a.start < b.start;
    return a.type < b.type;
  });
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (Finding f : findings) {
    if (f.end <= f.start) continue;
    bool overlaps = false;
    for (const Finding& k : kept) {
      if (f.start < k.end && k.start < f.end) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) {
      kept.push_back(f);
      continue;
    }
    if (!f.trimmable) continue;
    // The largest piece of f that no kept finding covers.
    std::uint32_t best_start = 0;
    std::uint32_t best_end = 0;
    std::uint32_t cursor = f.start;
    while (cursor < f.end) {
      std::uint32_t piece_end = f.end;
      std::uint32_t skip_to = cursor;
      for (const Finding& k : kept) {
        if (k.end <= cursor || k.start >= f.end) continue;
        if (k.start <= cursor) {
          skip_to = std::max(skip_to, k.end);
        } else {
          piece_end = std::min(piece_end, k.start);
        }
      }
      if (skip_to > cursor) {
        cursor = skip_to;
        continue;
      }
      if (piece_end - cursor > best_end - best_start) {
        best_start = cursor;
        best_end = piece_end;
      }
      cursor = piece_end;
    }
    auto blank = [&](std::uint32_t i) {
      const char c = text[i];
      return c == ' ' || c == '\n' || c == '\t' || c == ',' || c == ';' || c == ':' || c == '-' ||
             c == '|';
    };
    while (best_start < best_end && blank(best_start)) ++best_start;
    while (best_end > best_start && blank(best_end - 1)) --best_end;
    if (best_end > best_start && 2 * (best_end - best_start) >= f.end - f.start) {
      f.start = best_start;
      f.end = best_end;
      kept.push_back(f);
    }
  }
  std::sort(kept.begin(), kept.end(),
            [](const Finding& a, const Finding& b) { return a.start < b.start; });
  findings = std::move(kept);
}

}  // namespace lanewise::inspect
