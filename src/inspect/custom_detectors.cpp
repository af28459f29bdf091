#include "inspect/custom_detectors.h"

#include <hs/hs.h>

#include <cstdio>
#include <string>

#include "core/result.h"

namespace lanewise::inspect {
namespace {

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool HasNonAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

}  // namespace

std::string EscapeRegex(std::string_view literal) {
  std::string out;
  for (char c : literal) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || IsWordByte(c) || c == ' ') {
      out.push_back(c);
    } else {
      char buffer[8];
      std::snprintf(buffer, sizeof(buffer), "\\x%02x", u);
      out += buffer;
    }
  }
  return out;
}

core::Status AddCustomDetectors(const std::vector<CustomDetector>& detectors, TypeTable& types,
                                std::vector<PatternSpec>& specs,
                                std::vector<CustomPattern>& meanings) {
  for (const auto& detector : detectors) {
    const std::string label = "custom detector '" + detector.name + "'";
    if (detector.terms.empty() == detector.pattern.empty()) {
      return core::InvalidArgument(label + ": give either terms or a pattern",
                                   "bad_custom_detector");
    }
    auto type = types.Declare(detector.entity_type, detector.sensitivity);
    if (!type.ok()) {
      return core::InvalidArgument(label + ": " + type.status().message(), "bad_custom_detector");
    }
    auto add = [&](std::string expression, unsigned int flags, float confidence,
                   bool check) -> core::Status {
      if (core::Status s = check ? PatternDatabase::Check(expression, flags) : core::Status::Ok();
          !s.ok()) {
        return core::InvalidArgument(
            label + ": cannot compile '" + expression + "': " + s.message(), "bad_custom_detector");
      }
      PatternSpec spec;
      spec.expression = std::move(expression);
      spec.flags = flags;
      spec.id = static_cast<unsigned int>(specs.size());
      specs.push_back(std::move(spec));
      meanings.push_back({*type, confidence, label});
      return core::Status::Ok();
    };
    if (!detector.pattern.empty()) {
      const unsigned int flags = HS_FLAG_UTF8;
      if (core::Status s = add(detector.pattern, flags, 0.9F, true); !s.ok()) return s;
      continue;
    }
    for (const auto& term : detector.terms) {
      if (term.empty()) continue;
      std::string expression;
      if (IsWordByte(term.front())) expression += "\\b";
      expression += EscapeRegex(term);
      if (IsWordByte(term.back())) expression += "\\b";
      unsigned int flags = HS_FLAG_CASELESS;
      if (HasNonAscii(term)) flags |= HS_FLAG_UTF8 | HS_FLAG_UCP;
      if (core::Status s = add(std::move(expression), flags, 0.9F, false); !s.ok()) return s;
    }
  }
  return core::Status::Ok();
}

}  // namespace lanewise::inspect
