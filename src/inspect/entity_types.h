// The built-in entity types, their names as they appear in Facts and audit records, and
// their default sensitivity levels (0 public, 1 low, 2 personal, 3 high/financial,
// 4 critical: secrets and government identifiers). Custom detector types from the
// policy are numbered after these.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lanewise::inspect {

using TypeId = std::uint16_t;

enum BuiltinType : TypeId {
  kCreditCard,
  kIbanCode,
  kUsSsn,
  kEmailAddress,
  kPhoneNumber,
  kIpAddress,
  kMacAddress,
  kUrl,
  kCrypto,
  kSecret,
  kDateOfBirth,
  kMedicalRecordNumber,
  kUkNino,
  kDeTaxId,
  kEsDni,
  kEsNie,
  kItFiscalCode,
  kInAadhaar,
  kPerson,
  kStreetAddress,
  kLocation,
  kBuiltinTypeCount,
};

std::string_view BuiltinTypeName(TypeId type);
int BuiltinDefaultSensitivity(TypeId type);
std::optional<TypeId> BuiltinTypeByName(std::string_view name);

// A candidate or accepted entity inside one normalised text (byte offsets into it).
struct Finding {
  TypeId type = 0;
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  float confidence = 0.0F;
  bool validated = false;  // a checksum or structural rule confirmed it
  bool trimmable = false;  // may be cut back where a better finding overlaps its edge
};

}  // namespace lanewise::inspect
