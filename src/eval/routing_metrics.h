// RouteLLM's evaluation protocol (../shared/data/README.md): a router's scores, 11
// thresholds at the score quantiles 0%, 10%, ..., 100% (strong when score >= threshold,
// at 100% when score > threshold), the points (% strong calls, mean quality), and
//   APGR: the area under that curve between the weak-only and strong-only lines,
//         normalised;
//   CPT(x): the % of strong calls that recovers x of the weak-to-strong quality gap,
//         read off the curve by linear interpolation.
// Cross-checked against ../shared/tools/routellm_metrics.py by a unit test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace lanewise::inspect {

struct RoutingPoint {
  double strong_percent = 0.0;  // 0..100
  double quality = 0.0;         // mean quality of the routed answers
};

struct RoutingMetrics {
  double apgr = 0.0;
  double cpt50 = 0.0;  // percent of strong calls
  double cpt80 = 0.0;
};

// Quality of one prompt's weak and strong answers (correctness 0/1, judge score...).
struct RoutedItem {
  double score = 0.0;  // the router's: higher needs the strong model more
  double weak = 0.0;
  double strong = 0.0;
};

// Unicode code points of UTF-8 text: the "length" of RouteLLM's prompt-length router
// (Python's len()).
std::size_t CodePoints(std::string_view utf8);

// numpy's default ('linear') quantile of `sorted` (ascending, not empty).
double LinearQuantile(const std::vector<double>& sorted, double q);

std::vector<RoutingPoint> RoutingCurve(const std::vector<RoutedItem>& items);
RoutingMetrics MetricsOfCurve(std::vector<RoutingPoint> curve, double weak_mean,
                              double strong_mean);
RoutingMetrics EvaluateRouter(const std::vector<RoutedItem>& items);

// The random router: the curves of `seeds` random scorings averaged point by point.
RoutingMetrics RandomRouterMetrics(std::vector<RoutedItem> items, int seeds = 10);

struct BootstrapSummary {
  double mean = 0.0, stddev = 0.0, low = 0.0, high = 0.0;  // low/high: 2.5% / 97.5%
};
// APGR over `resamples` bootstrap resamples of the items (with replacement), seeded.
BootstrapSummary BootstrapApgr(const std::vector<RoutedItem>& items, int resamples,
                               std::uint64_t seed);

}  // namespace lanewise::inspect
