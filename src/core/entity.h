// Entity: one sensitive value found in a request. Never holds the value itself, only
// where it is, so that entities can be logged, audited and explained safely.
#pragma once

#include <cstddef>
#include <string>

namespace lanewise::core {

struct Entity {
  std::string type;       // e.g. "CREDIT_CARD", "IBAN", "PERSON"
  std::string location;   // JSON pointer of the string in the request, e.g. "/messages/2/content"
  std::size_t start = 0;  // UTF-8 byte offset within that string
  std::size_t end = 0;    // exclusive
  double confidence = 0.0;
};

}  // namespace lanewise::core
