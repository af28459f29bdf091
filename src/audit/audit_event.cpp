#include "audit/audit_event.h"

namespace lanewise::audit {

std::string_view EventKindName(EventKind kind) {
  return kind == EventKind::kOpen ? "open" : "close";
}

}  // namespace lanewise::audit
