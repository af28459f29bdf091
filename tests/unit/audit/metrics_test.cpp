#include "telemetry/metrics.h"

#include <gtest/gtest.h>

namespace lanewise::telemetry {
namespace {

TEST(MetricsTest, RendersCountersHistogramsAndGauges) {
  Metrics m;
  m.DeclareCounter("x_total", "xs");
  m.DeclareHistogram("t_seconds", "ts", {0.1, 1});
  m.DeclareGauge("depth", "d", [] { return 3.0; });
  m.DeclareGaugeFamily("up", "u", [] {
    return std::vector<GaugeSample>{{{{"lane", "a"}}, 1}, {{{"lane", "b"}}, 0}};
  });
  m.Add("x_total", {{"lane", "local"}, {"class", "p\"h\\i"}});
  m.Add("x_total", {{"lane", "local"}, {"class", "p\"h\\i"}}, 2);
  m.Observe("t_seconds", {{"lane", "a"}}, 0.05);
  m.Observe("t_seconds", {{"lane", "a"}}, 0.5);
  m.Observe("t_seconds", {{"lane", "a"}}, 5);
  const std::string text = m.Render();
  EXPECT_NE(text.find("x_total{lane=\"local\",class=\"p\\\"h\\\\i\"} 3\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("t_seconds_bucket{lane=\"a\",le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("t_seconds_bucket{lane=\"a\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{lane=\"a\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_count{lane=\"a\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("depth 3\n"), std::string::npos);
  EXPECT_NE(text.find("up{lane=\"a\"} 1\nup{lane=\"b\"} 0\n"), std::string::npos) << text;
}

TEST(MetricsTest, LabelSetsAreCapped) {
  Metrics m;
  m.DeclareCounter("x_total", "xs");
  for (std::size_t i = 0; i < Metrics::kMaxSeriesPerFamily + 5; ++i) {
    const std::string v = std::to_string(i);
    m.Add("x_total", {{"id", v}});
  }
  EXPECT_NE(m.Render().find("lanewise_metrics_series_dropped_total 5\n"), std::string::npos);
}

}  // namespace
}  // namespace lanewise::telemetry
