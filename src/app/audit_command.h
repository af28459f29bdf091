// `lanewise audit verify|query|prune`: reading and maintaining the audit store
// (docs/evidence.md).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "audit/store.h"
#include "core/result.h"

namespace lanewise::app {

struct AuditOptions {
  std::string db_path;  // SQLite file, or PostgreSQL URI / connection string
  std::string key_env;  // environment variable holding the chain key, if one was configured
  // query
  std::string since, until;  // "7d", "12h", "30m", unix milliseconds, or ISO 8601 UTC
  std::string data_class, lane, outcome, tenant, decision_id;
  std::string format = "json";  // json | csv
  std::int64_t limit = 0;
  // prune
  std::string older_than;  // "30d"
};

// A point in time from "7d" (that long ago), unix milliseconds, or
// "YYYY-MM-DDTHH:MM:SSZ"; `now_ms` is the reference for relative forms.
core::Result<std::int64_t> ParseTimeArgument(const std::string& text, std::int64_t now_ms);

// The store named by `--db`: a SQLite file that must exist, or a PostgreSQL database
// (postgresql:// URI or key=value connection string).
core::Result<std::unique_ptr<audit::Store>> OpenExistingStore(const std::string& db,
                                                              const std::string& chain_key);

int RunAuditVerify(const AuditOptions& options, std::ostream& out, std::ostream& err);
int RunAuditQuery(const AuditOptions& options, std::ostream& out, std::ostream& err);
int RunAuditPrune(const AuditOptions& options, std::ostream& out, std::ostream& err);

}  // namespace lanewise::app
