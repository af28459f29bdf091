// SqliteDb and SqliteStatement: a thin RAII layer over the SQLite C API with Status
// errors. A SqliteDb is used by one thread at a time (the audit writer, or a CLI command).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/status.h"

namespace lanewise::audit {

class SqliteStatement {
 public:
  SqliteStatement() = default;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  void Bind(int index, std::int64_t value);
  void Bind(int index, std::string_view text);
  // Text that is not copied (SQLITE_STATIC): it must stay valid and unchanged until the
  // parameter is bound again or the bindings are cleared.
  void BindView(int index, std::string_view text);
  // True when a row is ready; false when done. Errors become an "audit_store" Status.
  core::Result<bool> Step();
  void Reset();  // ready to Step again; the bindings stay
  void ClearBindings();

  std::int64_t Int(int column) const;
  std::string Text(int column) const;  // "" for NULL
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  // Opens (creating when `create`) the database file.
  static core::Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, bool create);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  core::Status Exec(std::string_view sql);
  core::Result<SqliteStatement> Prepare(std::string_view sql);
  core::Status Error(std::string_view what) const;  // the connection's last error

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace lanewise::audit
