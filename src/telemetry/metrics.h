// Metrics: counters, gauges and histograms rendered in the Prometheus text exposition
// format for GET /metrics. A small writer of its own: one mutex, sorted maps, no
// allocation beyond the first time a label set is seen.
//
// Label values must come from bounded sets (config names, reason codes, entity types):
// never ids or anything a client chooses. As a guard, a family keeps at most
// kMaxSeriesPerFamily label sets; further ones are counted in
// lanewise_metrics_series_dropped_total and otherwise ignored.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace lanewise::telemetry {

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

// One sample of a labelled gauge read at scrape time.
struct GaugeSample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

class Metrics {
 public:
  static constexpr std::size_t kMaxSeriesPerFamily = 2000;

  // Declares a family; declare each before use. Histograms take upper bounds, ascending.
  void DeclareCounter(std::string name, std::string help);
  void DeclareHistogram(std::string name, std::string help, std::vector<double> bounds);
  // A gauge read when /metrics is scraped.
  void DeclareGauge(std::string name, std::string help, std::function<double()> read);
  // A gauge with labels, all of its samples read when /metrics is scraped.
  void DeclareGaugeFamily(std::string name, std::string help,
                          std::function<std::vector<GaugeSample>()> read);

  void Add(std::string_view name, const Labels& labels, double value = 1.0);
  void Observe(std::string_view name, const Labels& labels, double value);

  std::string Render() const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // cumulative at render time, per bound here
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string help;
    std::string type;  // counter | histogram | gauge
    std::vector<double> bounds;
    std::function<double()> read;
    std::function<std::vector<GaugeSample>()> read_family;
    std::map<std::string, double, std::less<>> counters;  // rendered labels -> value
    std::map<std::string, Histogram, std::less<>> histograms;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
  double series_dropped_ = 0;
};

// The gateway's own families (names and buckets), declared on `metrics`.
void DeclareGatewayMetrics(Metrics& metrics);

}  // namespace lanewise::telemetry
