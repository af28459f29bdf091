#include "inspect/overlap_resolver.h"

#include <algorithm>

namespace lanewise::inspect {

void ResolveOverlaps(std::vector<Finding>& findings) {
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
  for (const Finding& f : findings) {
    if (f.end <= f.start) continue;
    bool overlaps = false;
    for (const Finding& k : kept) {
      if (f.start < k.end && k.start < f.end) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) kept.push_back(f);
  }
  std::sort(kept.begin(), kept.end(),
            [](const Finding& a, const Finding& b) { return a.start < b.start; });
  findings = std::move(kept);
}

}  // namespace lanewise::inspect
