#include "audit/pg_db.h"

#include <cstdlib>
#include <functional>

namespace lanewise::audit {
namespace {

core::Status StoreError(std::string message) {
  return core::Status(core::StatusCode::kInternal, std::move(message), "audit_store");
}

// libpq's messages end with a newline.
std::string Trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

struct ParamArrays {
  std::vector<std::string> owned;
  std::vector<const char*> values;
  std::vector<int> lengths;
  explicit ParamArrays(const std::vector<PgParam>& params) {
    owned.reserve(params.size());
    for (const PgParam& p : params) {
      owned.emplace_back(p ? std::string(*p) : std::string());
      values.push_back(p ? owned.back().c_str() : nullptr);
      lengths.push_back(p ? static_cast<int>(p->size()) : 0);
    }
  }
};

}  // namespace

std::string PgResult::Text(int row, int column) const {
  if (IsNull(row, column)) return {};
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t PgResult::Int(int row, int column) const {
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

core::Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return StoreError("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message =
        "cannot connect to the PostgreSQL audit database: " + Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return StoreError(std::move(message));
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

core::Status PgConnection::Error(std::string_view what) const {
  return StoreError("postgres " + std::string(what) + ": " + Trimmed(PQerrorMessage(conn_)));
}

core::Status PgConnection::Exec(std::string_view sql) {
  PgResult result(PQexec(conn_, std::string(sql).c_str()));
  if (result.status() != PGRES_COMMAND_OK && result.status() != PGRES_TUPLES_OK) {
    return StoreError("postgres: " + Trimmed(result.error()));
  }
  return core::Status::Ok();
}

core::Result<PgResult> PgConnection::Query(std::string_view sql,
                                           const std::vector<PgParam>& params) {
  ParamArrays p(params);
  PgResult result(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(params.size()),
                               nullptr, p.values.data(), p.lengths.data(), nullptr, 0));
  if (result.status() != PGRES_COMMAND_OK && result.status() != PGRES_TUPLES_OK) {
    return StoreError("postgres: " + Trimmed(result.error()));
  }
  return result;
}

core::Status PgConnection::Stream(std::string_view sql, const std::vector<PgParam>& params,
                                  const std::function<bool(const PgResult&)>& row) {
  ParamArrays p(params);
  if (PQsendQueryParams(conn_, std::string(sql).c_str(), static_cast<int>(params.size()), nullptr,
                        p.values.data(), p.lengths.data(), nullptr, 0) == 0) {
    return Error("query");
  }
  PQsetSingleRowMode(conn_);
  core::Status failed;
  bool wanted = true;
  // Every result must be read, even after `row` says stop, before the connection is usable.
  while (PGresult* raw = PQgetResult(conn_)) {
    PgResult result(raw);
    if (result.status() == PGRES_SINGLE_TUPLE) {
      if (wanted && failed.ok()) wanted = row(result);
    } else if (result.status() != PGRES_TUPLES_OK && failed.ok()) {
      failed = StoreError("postgres: " + Trimmed(result.error()));
    }
  }
  return failed;
}

}  // namespace lanewise::audit
