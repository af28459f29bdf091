// PgConnection and PgResult: a thin RAII layer over libpq with Status errors. A
// connection is used by one thread at a time (the audit writer, or a CLI command).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace lanewise::audit {

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
  ExecStatusType status() const { return PQresultStatus(result_.get()); }
  const char* error() const { return PQresultErrorMessage(result_.get()); }
  int Rows() const { return PQntuples(result_.get()); }
  std::string Text(int row, int column) const;  // "" for NULL
  std::int64_t Int(int row, int column) const;
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

// A statement parameter: text, or SQL NULL.
using PgParam = std::optional<std::string_view>;

class PgConnection {
 public:
  static core::Result<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // One or more statements, no parameters.
  core::Status Exec(std::string_view sql);
  // One statement with $1..$n text parameters; the rows it returns.
  core::Result<PgResult> Query(std::string_view sql, const std::vector<PgParam>& params = {});
  // One statement whose rows are handed to `row` one at a time (libpq's single-row
  // mode), so a large table is never held in memory at once. `row` returns false to stop.
  core::Status Stream(std::string_view sql, const std::vector<PgParam>& params,
                      const std::function<bool(const PgResult&)>& row);

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  core::Status Error(std::string_view what) const;
  PGconn* conn_ = nullptr;
};

}  // namespace lanewise::audit
