#include "telemetry/metrics.h"

#include <cstdio>
#include <cstdlib>

namespace lanewise::telemetry {
namespace {

std::string RenderLabels(const Labels& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    out += out.empty() ? "{" : ",";
    out += name;
    out += "=\"";
    for (char c : value) {
      if (c == '\\' || c == '"') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += '"';
  }
  if (!out.empty()) out += '}';
  return out;
}

// The shortest of %.15g and %.17g that reads back as `value` (0.1, not 0.1000...01).
std::string Number(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  if (std::strtod(buffer, nullptr) != value) std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// `labels` ("{a=\"x\"}" or "") with one more label appended.
std::string WithLabel(const std::string& labels, std::string_view name, const std::string& value) {
  std::string extra = std::string(name) + "=\"" + value + "\"";
  if (labels.empty()) return "{" + extra + "}";
  return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}

}  // namespace

void Metrics::DeclareCounter(std::string name, std::string help) {
  std::lock_guard lock(mutex_);
  Family& f = families_[std::move(name)];
  f.help = std::move(help);
  f.type = "counter";
}

void Metrics::DeclareHistogram(std::string name, std::string help, std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  Family& f = families_[std::move(name)];
  f.help = std::move(help);
  f.type = "histogram";
  f.bounds = std::move(bounds);
}

void Metrics::DeclareGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  Family& f = families_[std::move(name)];
  f.help = std::move(help);
  f.type = "gauge";
  f.read = std::move(read);
}

void Metrics::DeclareGaugeFamily(std::string name, std::string help,
                                 std::function<std::vector<GaugeSample>()> read) {
  std::lock_guard lock(mutex_);
  Family& f = families_[std::move(name)];
  f.help = std::move(help);
  f.type = "gauge";
  f.read_family = std::move(read);
}

void Metrics::Add(std::string_view name, const Labels& labels, double value) {
  const std::string key = RenderLabels(labels);
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family == families_.end()) return;
  auto& counters = family->second.counters;
  auto it = counters.find(key);
  if (it == counters.end()) {
    if (counters.size() >= kMaxSeriesPerFamily) {
      ++series_dropped_;
      return;
    }
    it = counters.emplace(key, 0.0).first;
  }
  it->second += value;
}

void Metrics::Observe(std::string_view name, const Labels& labels, double value) {
  const std::string key = RenderLabels(labels);
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family == families_.end()) return;
  Family& f = family->second;
  auto it = f.histograms.find(key);
  if (it == f.histograms.end()) {
    if (f.histograms.size() >= kMaxSeriesPerFamily) {
      ++series_dropped_;
      return;
    }
    it = f.histograms.emplace(key, Histogram{std::vector<std::uint64_t>(f.bounds.size(), 0)}).first;
  }
  Histogram& h = it->second;
  for (std::size_t i = 0; i < f.bounds.size(); ++i) {
    if (value <= f.bounds[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += value;
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " " + f.type + "\n";
    if (f.read) out += name + " " + Number(f.read()) + "\n";
    if (f.read_family) {
      for (const GaugeSample& sample : f.read_family()) {
        Labels labels;
        for (const auto& [k, v] : sample.labels) labels.emplace_back(k, v);
        out += name + RenderLabels(labels) + " " + Number(sample.value) + "\n";
      }
    }
    for (const auto& [labels, value] : f.counters)
      out += name + labels + " " + Number(value) + "\n";
    for (const auto& [labels, h] : f.histograms) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < f.bounds.size(); ++i) {
        cumulative += h.buckets[i];
        out += name + "_bucket" + WithLabel(labels, "le", Number(f.bounds[i])) + " " +
               std::to_string(cumulative) + "\n";
      }
      out +=
          name + "_bucket" + WithLabel(labels, "le", "+Inf") + " " + std::to_string(h.count) + "\n";
      out += name + "_sum" + labels + " " + Number(h.sum) + "\n";
      out += name + "_count" + labels + " " + std::to_string(h.count) + "\n";
    }
  }
  out +=
      "# HELP lanewise_metrics_series_dropped_total label sets ignored over the cap\n"
      "# TYPE lanewise_metrics_series_dropped_total counter\n"
      "lanewise_metrics_series_dropped_total " +
      Number(series_dropped_) + "\n";
  return out;
}

void DeclareGatewayMetrics(Metrics& m) {
  const std::vector<double> seconds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                       1,     2.5,  5,     10,   30,  60};
  m.DeclareCounter("lanewise_requests_total",
                   "chat requests by effective data class, serving lane, route source, outcome");
  m.DeclareCounter("lanewise_fallbacks_total",
                   "attempts made after an earlier attempt failed, by the failure's reason");
  m.DeclareCounter("lanewise_escalations_total",
                   "cascade answers judged doubtful and escalated to the next lane, by reason "
                   "(low_confidence, refusal, truncated, unscored)");
  m.DeclareCounter("lanewise_fail_closed_total",
                   "requests refused rather than sent anywhere the policy forbids, by reason");
  m.DeclareCounter("lanewise_redacted_entities_total",
                   "entities replaced by placeholders in requests sent to lanes, by type");
  m.DeclareCounter("lanewise_lane_bytes_sent_total",
                   "request body bytes sent to lanes, by lane and lane kind");
  m.DeclareCounter("lanewise_audit_events_dropped_total",
                   "audit events that could not be queued, by kind and whether the request was "
                   "refused");
  m.DeclareHistogram("lanewise_lane_ttfb_seconds",
                     "time from sending an attempt to its first answer byte (stream: first event; "
                     "otherwise the whole answer), by lane",
                     seconds);
  m.DeclareHistogram("lanewise_request_duration_seconds",
                     "time from receiving a chat request to its end, by serving lane", seconds);
}

}  // namespace lanewise::telemetry
