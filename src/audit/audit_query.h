// Reading decision records back: each record is its open event's payload merged with its
// close event's (when there is one), plus `complete` and, without a close event,
// outcome "incomplete".
#pragma once

#include <boost/json/array.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "audit/store.h"
#include "core/result.h"

namespace lanewise::audit {

struct QueryFilter {
  std::optional<std::int64_t> since_ms;  // decision time >= since
  std::optional<std::int64_t> until_ms;  // decision time < until
  std::string data_class;                // effective class
  std::string lane;                      // any attempt sent to this lane, or planned first
  std::string outcome;                   // "ok", a reason code, or "incomplete"
  std::string tenant;
  std::string decision_id;
  std::int64_t limit = 0;  // 0: no limit
};

// Records in decision order. Time and decision id narrow the scan in the store; the
// other filters read the payloads, the same way on every backend.
core::Result<boost::json::array> QueryRecords(Store& store, const QueryFilter& filter);

// One line per record with the columns operators filter and count by; RFC 4180 quoting.
std::string RecordsToCsv(const boost::json::array& records);

}  // namespace lanewise::audit
