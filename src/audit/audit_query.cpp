#include "audit/audit_query.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <vector>

namespace lanewise::audit {
namespace {

// Each filter adds one condition; `o` is the open event, `c` the close event (or NULL).
constexpr const char* kSelect =
    "SELECT o.payload, c.payload FROM audit_events o "
    "LEFT JOIN audit_events c ON c.decision_id = o.decision_id AND c.kind = 'close' "
    "WHERE o.kind = 'open'";

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

}  // namespace

core::Result<boost::json::array> QueryRecords(SqliteDb& db, const QueryFilter& filter) {
  std::string sql = kSelect;
  std::vector<std::pair<int, std::string>> texts;
  std::vector<std::pair<int, std::int64_t>> ints;
  int next = 1;
  auto text_param = [&](std::string condition, const std::string& value) {
    if (value.empty()) return;
    std::string placeholder = "?" + std::to_string(next);
    for (auto at = condition.find("?"); at != std::string::npos;
         at = condition.find("?", at + placeholder.size())) {
      condition.replace(at, 1, placeholder);
    }
    sql += " AND " + condition;
    texts.emplace_back(next++, value);
  };
  if (filter.since_ms) {
    sql += " AND o.at_ms >= ?" + std::to_string(next);
    ints.emplace_back(next++, *filter.since_ms);
  }
  if (filter.until_ms) {
    sql += " AND o.at_ms < ?" + std::to_string(next);
    ints.emplace_back(next++, *filter.until_ms);
  }
  text_param("o.decision_id = ?", filter.decision_id);
  text_param("json_extract(o.payload, '$.tenant') = ?", filter.tenant);
  text_param("json_extract(o.payload, '$.class.effective') = ?", filter.data_class);
  text_param("COALESCE(json_extract(c.payload, '$.outcome'), 'incomplete') = ?", filter.outcome);
  text_param(
      "(EXISTS (SELECT 1 FROM json_each(c.payload, '$.attempts') a "
      "WHERE json_extract(a.value, '$.lane') = ?) OR "
      "(c.payload IS NULL AND json_extract(o.payload, '$.plan[0].lane') = ?))",
      filter.lane);
  sql += " ORDER BY o.seq";
  if (filter.limit > 0) sql += " LIMIT " + std::to_string(filter.limit);

  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  for (const auto& [index, value] : texts) stmt->Bind(index, value);
  for (const auto& [index, value] : ints) stmt->Bind(index, value);
  boost::json::array records;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    boost::system::error_code ec;
    boost::json::value open = boost::json::parse(stmt->Text(0), ec);
    if (ec || !open.is_object()) continue;
    boost::json::object record = std::move(open.as_object());
    if (stmt->IsNull(1)) {
      record["complete"] = false;
      record["outcome"] = "incomplete";
    } else {
      boost::json::value close = boost::json::parse(stmt->Text(1), ec);
      if (!ec && close.is_object()) {
        for (auto& [key, value] : close.as_object()) record[key] = value;
      }
      record["complete"] = true;
    }
    records.push_back(std::move(record));
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
