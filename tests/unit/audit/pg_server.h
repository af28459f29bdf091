// A real PostgreSQL server for the audit store tests: initdb and postgres from Debian's
// postgresql package, in a temporary directory, on a free loopback port, started once per
// test process on first use and stopped at exit. As root, the server runs as `nobody`
// (PostgreSQL refuses to run as root). Nothing is mocked.
#pragma once

#include <string>

namespace lanewise::audit::testing {

class PgServer {
 public:
  // The process's server, started on first call. Check ok() before using it.
  static PgServer& Get();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }

  // A new, empty database; returns its libpq connection string.
  std::string CreateDatabase();

  ~PgServer();

 private:
  PgServer();
  std::string dir_;
  std::string error_;
  int port_ = 0;
  int pid_ = 0;
  int databases_ = 0;
};

}  // namespace lanewise::audit::testing
