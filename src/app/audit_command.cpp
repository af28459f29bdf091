#include "app/audit_command.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <ostream>

#include "audit/audit_query.h"
#include "audit/chain_verifier.h"
#include "audit/store.h"

namespace lanewise::app {
namespace {

std::int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ChainKey(const AuditOptions& options) {
  if (options.key_env.empty()) return {};
  const char* key = std::getenv(options.key_env.c_str());
  return key == nullptr ? std::string() : std::string(key);
}

}  // namespace

core::Result<std::unique_ptr<audit::Store>> OpenExistingStore(const std::string& db,
                                                              const std::string& chain_key) {
  if (db.empty()) return core::InvalidArgument("--db is required");
  audit::StoreOptions options;
  (audit::IsPostgresLocation(db) ? options.postgres : options.sqlite_path) = db;
  options.chain_key = chain_key;
  options.create = false;
  return audit::OpenStore(options);
}

namespace {

core::Result<std::unique_ptr<audit::Store>> OpenExisting(const AuditOptions& options) {
  return OpenExistingStore(options.db_path, ChainKey(options));
}

}  // namespace

core::Result<std::int64_t> ParseTimeArgument(const std::string& text, std::int64_t now_ms) {
  if (text.empty()) return core::InvalidArgument("empty time");
  const char unit = text.back();
  const std::string number = text.substr(0, text.size() - 1);
  const bool digits =
      !number.empty() && number.find_first_not_of("0123456789") == std::string::npos;
  if (digits && (unit == 'd' || unit == 'h' || unit == 'm' || unit == 's')) {
    const std::int64_t n = std::stoll(number);
    const std::int64_t per = unit == 'd'   ? 86'400'000
                             : unit == 'h' ? 3'600'000
                             : unit == 'm' ? 60'000
                                           : 1000;
    return now_ms - n * per;
  }
  if (text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 15) {
    return std::stoll(text);
  }
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr || (*end != '\0' && std::string_view(end) != "Z")) {
    return core::InvalidArgument("cannot read the time \"" + text +
                                 "\": use 7d, 12h, 30m, unix milliseconds or "
                                 "YYYY-MM-DDTHH:MM:SSZ");
  }
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

int RunAuditVerify(const AuditOptions& options, std::ostream& out, std::ostream& err) {
  auto store = OpenExisting(options);
  if (!store.ok()) {
    err << "lanewise audit verify: " << store.status().message() << "\n";
    return 2;
  }
  auto report = audit::VerifyChain(*store.value(), ChainKey(options));
  if (!report.ok()) {
    err << "lanewise audit verify: " << report.status().message() << "\n";
    return 2;
  }
  boost::json::object o;
  o["intact"] = report->intact;
  o["events_checked"] = report->events_checked;
  o["head_seq"] = report->head_seq;
  o["head_hash"] = report->head_hash;
  if (!report->intact) {
    o["problem"] = report->problem;
    o["first_bad_seq"] = report->first_bad_seq;
    o["detail"] = report->detail;
  }
  out << boost::json::serialize(o) << "\n";
  return report->intact ? 0 : 1;
}

int RunAuditQuery(const AuditOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "json" && options.format != "csv") {
    err << "lanewise audit query: --format must be json or csv\n";
    return 2;
  }
  auto store = OpenExisting(options);
  if (!store.ok()) {
    err << "lanewise audit query: " << store.status().message() << "\n";
    return 2;
  }
  audit::QueryFilter filter;
  const std::int64_t now = NowMillis();
  for (auto [text, target] :
       {std::pair{&options.since, &filter.since_ms}, std::pair{&options.until, &filter.until_ms}}) {
    if (text->empty()) continue;
    auto at = ParseTimeArgument(*text, now);
    if (!at.ok()) {
      err << "lanewise audit query: " << at.status().message() << "\n";
      return 2;
    }
    *target = at.value();
  }
  filter.data_class = options.data_class;
  filter.lane = options.lane;
  filter.outcome = options.outcome;
  filter.tenant = options.tenant;
  filter.decision_id = options.decision_id;
  filter.limit = options.limit;
  auto records = audit::QueryRecords(*store.value(), filter);
  if (!records.ok()) {
    err << "lanewise audit query: " << records.status().message() << "\n";
    return 2;
  }
  if (options.format == "csv") {
    out << audit::RecordsToCsv(records.value());
  } else {
    out << boost::json::serialize(records.value()) << "\n";
  }
  return 0;
}

int RunAuditPrune(const AuditOptions& options, std::ostream& out, std::ostream& err) {
  auto cutoff = ParseTimeArgument(options.older_than, NowMillis());
  if (!cutoff.ok()) {
    err << "lanewise audit prune: --older-than: " << cutoff.status().message() << "\n";
    return 2;
  }
  auto store = OpenExisting(options);
  if (!store.ok()) {
    err << "lanewise audit prune: " << store.status().message() << "\n";
    return 2;
  }
  auto pruned = store.value()->PruneBefore(cutoff.value());
  if (!pruned.ok()) {
    err << "lanewise audit prune: " << pruned.status().message() << "\n";
    return 2;
  }
  out << R"({"pruned_events":)" << pruned.value() << "}\n";
  return 0;
}

}  // namespace lanewise::app
