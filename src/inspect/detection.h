// Detection: one entity found by Inspector::ScanText in a piece of text. Like
// core::Entity it never holds the value, only where it is.
#pragma once

#include <cstddef>
#include <string>

namespace lanewise::inspect {

struct Detection {
  std::string type;         // e.g. "CREDIT_CARD", or a custom detector's entity type
  std::size_t start = 0;    // UTF-8 byte offsets in the text as given (not normalised)
  std::size_t end = 0;      // exclusive
  double confidence = 0.0;  // [0, 1]
  int sensitivity = 0;      // level 0..4 of the type under the current options
  bool validated = false;   // a checksum or structural rule confirmed it
};

}  // namespace lanewise::inspect
