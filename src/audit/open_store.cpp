#include "audit/pg_store.h"
#include "audit/sqlite_store.h"
#include "audit/store.h"

namespace lanewise::audit {

bool IsPostgresLocation(std::string_view db) {
  return db.starts_with("postgres://") || db.starts_with("postgresql://") ||
         db.find('=') != std::string_view::npos;
}

core::Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (!options.postgres.empty()) {
    auto store = PgStore::Open(options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store.value()));
  }
  auto store = SqliteStore::Open(options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store.value()));
}

}  // namespace lanewise::audit
