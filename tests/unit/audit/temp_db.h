// A fresh directory for one test's SQLite files, removed afterwards.
#pragma once

#include <filesystem>
#include <string>

#include "core/ids.h"

namespace lanewise::audit::testing {

class TempDb {
 public:
  TempDb() : dir_(std::filesystem::temp_directory_path() / core::NewId("lanewise-audit-test-")) {
    std::filesystem::create_directories(dir_);
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path() const { return (dir_ / "audit.db").string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace lanewise::audit::testing
