#include "audit/audit_event.h"

namespace lanewise::audit {

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kOpen:
      return "open";
    case EventKind::kClose:
      return "close";
    case EventKind::kRecord:
      return "record";
  }
  return "open";
}

void MergeDecisionRecord(AuditEvent& open, const AuditEvent& close) {
  // "{a}" + "{b}" -> "{a,b}"; an empty object on either side adds no comma.
  std::string_view members = close.payload;
  if (members.size() >= 2 && members.front() == '{' && members.back() == '}') {
    members = members.substr(1, members.size() - 2);
  }
  std::string& payload = open.payload;
  if (!members.empty()) {
    if (!payload.empty() && payload.back() == '}') payload.pop_back();
    if (payload.empty()) payload = "{";
    if (payload.size() > 1) payload += ',';
    payload.append(members);
    payload += '}';
  }
  open.kind = EventKind::kRecord;
}

}  // namespace lanewise::audit
