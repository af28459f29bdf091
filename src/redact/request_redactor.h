// RequestRedactor: the request one attempt may send to its lane.
//
// For a lane the data class lets see the request only redacted, every entity the
// inspection found is rewritten by its operator (placeholder, mask, hash, drop; chosen
// per entity type and class by policy.redaction), wherever it is: any message of any
// role, content parts, names, tool-call arguments, tool results, tool definitions,
// response_format schemas. The rewritten request is then scanned again; what the second
// scan still finds is rewritten too, and if a third scan still finds anything the attempt
// is refused (fail closed: `redaction_incomplete`). For a non-local lane the class's
// minimum_context is applied last.
//
// Immutable after construction; shared by every thread through the gateway snapshot.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/chat_request.h"
#include "core/facts.h"
#include "core/result.h"
#include "redact/placeholder_vault.h"

namespace lanewise::inspect {
class Inspector;
}

namespace lanewise::redact {

struct RedactionSummary {
  std::map<std::string, int> by_type;      // values rewritten, per entity type
  std::map<std::string, int> by_operator;  // values rewritten, per operator
  int messages_dropped = 0;                // by minimum_context
  bool system_stripped = false;
};

struct PreparedRequest {
  core::ChatRequest request;                      // what goes to the lane
  std::shared_ptr<const PlaceholderVault> vault;  // placeholders to restore; null if none
  RedactionSummary summary;
};

class RequestRedactor {
 public:
  RequestRedactor(config::ConfigPtr config, std::shared_ptr<const inspect::Inspector> inspector);

  // The request for one attempt. `redact`: the attempt's lane may only receive it
  // redacted; `non_local`: the lane is not `local` (minimum_context applies). The
  // placeholder scope is the request's session id, else its request id.
  core::Result<PreparedRequest> Prepare(const core::ChatRequest& request, const core::Facts& facts,
                                        std::string_view data_class, bool redact,
                                        bool non_local) const;

  // Whether Prepare would change anything for this class and lane.
  bool Rewrites(std::string_view data_class, bool redact, bool non_local) const;

 private:
  config::ConfigPtr config_;
  std::shared_ptr<const inspect::Inspector> inspector_;
  std::string key_;
};

}  // namespace lanewise::redact
