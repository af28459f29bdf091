#include "audit/audit_query.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <unordered_map>
#include <vector>

namespace lanewise::audit {
namespace {

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char ch : value) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string TextOf(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (v->is_string()) return std::string(v->get_string());
  return boost::json::serialize(*v);
}

std::string_view StringAt(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

bool SentTo(const boost::json::object& record, std::string_view lane) {
  if (const auto* a = record.if_contains("attempts"); a && a->is_array()) {
    for (const auto& attempt : a->as_array()) {
      if (attempt.is_object() && StringAt(attempt.as_object(), "lane") == lane) return true;
    }
  }
  return false;
}

bool FirstPlanned(const boost::json::object& record, std::string_view lane) {
  const auto* plan = record.if_contains("plan");
  if (plan == nullptr || !plan->is_array() || plan->as_array().empty()) return false;
  const auto& first = plan->as_array().front();
  return first.is_object() && StringAt(first.as_object(), "lane") == lane;
}

bool Matches(const boost::json::object& r, const QueryFilter& filter) {
  if (!filter.tenant.empty() && StringAt(r, "tenant") != filter.tenant) return false;
  if (!filter.data_class.empty()) {
    const auto* cls = r.if_contains("class");
    if (cls == nullptr || !cls->is_object() ||
        StringAt(cls->as_object(), "effective") != filter.data_class) {
      return false;
    }
  }
  if (!filter.outcome.empty() && StringAt(r, "outcome") != filter.outcome) return false;
  if (!filter.lane.empty()) {
    const bool complete = r.at("complete").as_bool();
    if (complete ? !SentTo(r, filter.lane) : !FirstPlanned(r, filter.lane)) return false;
  }
  return true;
}

}  // namespace

core::Result<boost::json::array> QueryRecords(Store& store, const QueryFilter& filter) {
  EventScan scan;
  if (filter.since_ms) scan.since_ms = *filter.since_ms;
  scan.decision_id = filter.decision_id;
  std::vector<boost::json::object> opened;
  std::unordered_map<std::string, std::size_t> by_decision;
  core::Status scanned = store.Scan(scan, [&](const StoredEvent& e) {
    boost::system::error_code ec;
    boost::json::value payload = boost::json::parse(e.payload, ec);
    if (ec || !payload.is_object()) return true;
    // An open event starts a record, its close event completes it; a `record` row is
    // both (the writer stored them together).
    if (e.kind == "open" || e.kind == "record") {
      if (filter.until_ms && e.at_ms >= *filter.until_ms) return true;
      boost::json::object record = std::move(payload.as_object());
      record["complete"] = e.kind == "record";
      if (e.kind == "open") by_decision.emplace(e.decision_id, opened.size());
      opened.push_back(std::move(record));
    } else if (auto it = by_decision.find(e.decision_id); it != by_decision.end()) {
      boost::json::object& record = opened[it->second];
      for (auto& [key, value] : payload.as_object()) record[key] = value;
      record["complete"] = true;
    }
    return true;
  });
  if (!scanned.ok()) return scanned;
  boost::json::array records;
  for (boost::json::object& record : opened) {
    if (!record.at("complete").as_bool()) record["outcome"] = "incomplete";
    if (!Matches(record, filter)) continue;
    records.push_back(std::move(record));
    if (filter.limit > 0 && static_cast<std::int64_t>(records.size()) >= filter.limit) break;
  }
  return records;
}

std::string RecordsToCsv(const boost::json::array& records) {
  std::string out =
      "decision_id,time_ms,tenant,policy_version,detected_class,declared_class,effective_class,"
      "route_source,attempt_lanes,served_by,outcome,http_status,bytes_sent,redacted_entities,"
      "estimated_cost_usd,duration_ms,complete\n";
  for (const auto& value : records) {
    const auto& r = value.as_object();
    boost::json::object cls;
    if (const auto* c = r.if_contains("class"); c && c->is_object()) cls = c->as_object();
    std::string lanes;
    std::int64_t bytes = 0;
    std::int64_t redacted = 0;
    if (const auto* a = r.if_contains("attempts"); a && a->is_array()) {
      for (const auto& attempt : a->as_array()) {
        const auto& at = attempt.as_object();
        if (!lanes.empty()) lanes += ';';
        lanes += TextOf(at, "lane");
        if (const auto* b = at.if_contains("bytes_sent"); b && b->is_number()) {
          bytes += b->to_number<std::int64_t>();
        }
        if (const auto* red = at.if_contains("redacted"); red && red->is_object()) {
          for (const auto& [type, n] : red->as_object()) redacted += n.to_number<std::int64_t>();
        }
      }
    }
    const std::vector<std::string> fields = {
        TextOf(r, "decision_id"),    TextOf(r, "time_ms"),      TextOf(r, "tenant"),
        TextOf(r, "policy_version"), TextOf(cls, "detected"),   TextOf(cls, "declared"),
        TextOf(cls, "effective"),    TextOf(r, "route_source"), lanes,
        TextOf(r, "served_by"),      TextOf(r, "outcome"),      TextOf(r, "http_status"),
        std::to_string(bytes),       std::to_string(redacted),  TextOf(r, "estimated_cost_usd"),
        TextOf(r, "duration_ms"),    TextOf(r, "complete")};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(fields[i]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace lanewise::audit
