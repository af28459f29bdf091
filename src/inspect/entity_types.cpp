#include "inspect/entity_types.h"

#include <array>

namespace lanewise::inspect {
namespace {

struct TypeInfo {
  std::string_view name;
  int sensitivity;
};

constexpr std::array<TypeInfo, kBuiltinTypeCount> kTypes = {{
    {"CREDIT_CARD", 3},    {"IBAN_CODE", 3},  {"US_SSN", 4},        {"EMAIL_ADDRESS", 2},
    {"PHONE_NUMBER", 2},   {"IP_ADDRESS", 1}, {"MAC_ADDRESS", 1},   {"URL", 1},
    {"CRYPTO", 3},         {"SECRET", 4},     {"DATE_OF_BIRTH", 2}, {"MEDICAL_RECORD_NUMBER", 4},
    {"UK_NINO", 4},        {"DE_TAX_ID", 4},  {"ES_DNI", 4},        {"ES_NIE", 4},
    {"IT_FISCAL_CODE", 4}, {"IN_AADHAAR", 4}, {"PERSON", 2},        {"STREET_ADDRESS", 2},
    {"LOCATION", 1},
}};

}  // namespace

std::string_view BuiltinTypeName(TypeId type) {
  return type < kBuiltinTypeCount ? kTypes[type].name : std::string_view();
}

int BuiltinDefaultSensitivity(TypeId type) {
  return type < kBuiltinTypeCount ? kTypes[type].sensitivity : 0;
}

std::optional<TypeId> BuiltinTypeByName(std::string_view name) {
  for (TypeId t = 0; t < kBuiltinTypeCount; ++t) {
    if (kTypes[t].name == name) return t;
  }
  return std::nullopt;
}

}  // namespace lanewise::inspect
