#include "eval/routing_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace lanewise::inspect {
namespace {

constexpr int kThresholds = 11;

double Mean(const std::vector<RoutedItem>& items, double RoutedItem::*field) {
  double sum = 0.0;
  for (const RoutedItem& item : items) sum += item.*field;
  return items.empty() ? 0.0 : sum / static_cast<double>(items.size());
}

// np.interp(x, xp, fp) read segment by segment for an xp that should increase (as
// routellm_metrics.py's interp does, which matters when a curve dips).
double Interpolate(double x, const std::vector<double>& xp, const std::vector<double>& fp) {
  if (x <= xp.front()) return fp.front();
  if (x >= xp.back()) return fp.back();
  for (std::size_t i = 0; i + 1 < xp.size(); ++i) {
    if (xp[i] <= x && x <= xp[i + 1]) {
      if (xp[i + 1] == xp[i]) return fp[i];
      return fp[i] + (fp[i + 1] - fp[i]) * (x - xp[i]) / (xp[i + 1] - xp[i]);
    }
  }
  return fp.back();
}

}  // namespace

std::size_t CodePoints(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

double LinearQuantile(const std::vector<double>& sorted, double q) {
  const double position = static_cast<double>(sorted.size() - 1) * q;
  const auto lower = static_cast<std::size_t>(position);
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - static_cast<double>(lower));
}

std::vector<RoutingPoint> RoutingCurve(const std::vector<RoutedItem>& items) {
  std::vector<double> sorted;
  sorted.reserve(items.size());
  for (const RoutedItem& item : items) sorted.push_back(item.score);
  std::sort(sorted.begin(), sorted.end());
  std::vector<RoutingPoint> curve;
  const auto n = static_cast<double>(items.size());
  for (int i = 0; i < kThresholds; ++i) {
    const double threshold = LinearQuantile(sorted, i / static_cast<double>(kThresholds - 1));
    const bool last = i == kThresholds - 1;
    double strong_calls = 0.0, quality = 0.0;
    for (const RoutedItem& item : items) {
      const bool strong = last ? item.score > threshold : item.score >= threshold;
      strong_calls += strong ? 1.0 : 0.0;
      quality += strong ? item.strong : item.weak;
    }
    curve.push_back({100.0 * strong_calls / n, quality / n});
  }
  return curve;
}

RoutingMetrics MetricsOfCurve(std::vector<RoutingPoint> curve, double weak_mean,
                              double strong_mean) {
  std::sort(curve.begin(), curve.end(), [](const RoutingPoint& a, const RoutingPoint& b) {
    return a.strong_percent < b.strong_percent ||
           (a.strong_percent == b.strong_percent && a.quality < b.quality);
  });
  std::vector<double> xs, ys;
  for (const RoutingPoint& p : curve) {
    xs.push_back(p.strong_percent);
    ys.push_back(p.quality);
  }
  double auc = 0.0;
  for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
    auc += (xs[i + 1] - xs[i]) / 100.0 * (ys[i + 1] + ys[i]) / 2.0;
  }
  const double span = (xs.back() - xs.front()) / 100.0;
  RoutingMetrics m;
  m.apgr = (auc - weak_mean * span) / ((strong_mean - weak_mean) * span);
  m.cpt50 = Interpolate(weak_mean + 0.5 * (strong_mean - weak_mean), ys, xs);
  m.cpt80 = Interpolate(weak_mean + 0.8 * (strong_mean - weak_mean), ys, xs);
  return m;
}

RoutingMetrics EvaluateRouter(const std::vector<RoutedItem>& items) {
  return MetricsOfCurve(RoutingCurve(items), Mean(items, &RoutedItem::weak),
                        Mean(items, &RoutedItem::strong));
}

RoutingMetrics RandomRouterMetrics(std::vector<RoutedItem> items, int seeds) {
  std::vector<RoutingPoint> average(kThresholds);
  for (int seed = 0; seed < seeds; ++seed) {
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (RoutedItem& item : items) item.score = uniform(random);
    const std::vector<RoutingPoint> curve = RoutingCurve(items);
    for (int i = 0; i < kThresholds; ++i) {
      average[i].strong_percent += curve[i].strong_percent / seeds;
      average[i].quality += curve[i].quality / seeds;
    }
  }
  return MetricsOfCurve(average, Mean(items, &RoutedItem::weak), Mean(items, &RoutedItem::strong));
}

BootstrapSummary BootstrapApgr(const std::vector<RoutedItem>& items, int resamples,
                               std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::size_t> pick(0, items.size() - 1);
  std::vector<double> values;
  std::vector<RoutedItem> sample(items.size());
  while (static_cast<int>(values.size()) < resamples) {
    for (RoutedItem& item : sample) item = items[pick(random)];
    const double weak = Mean(sample, &RoutedItem::weak), strong = Mean(sample, &RoutedItem::strong);
    if (strong == weak) continue;  // no gap to recover in this resample
    values.push_back(EvaluateRouter(sample).apgr);
  }
  std::sort(values.begin(), values.end());
  BootstrapSummary s;
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double squares = 0.0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(squares / static_cast<double>(values.size() - 1));
  s.low = LinearQuantile(values, 0.025);
  s.high = LinearQuantile(values, 0.975);
  return s;
}

}  // namespace lanewise::inspect
