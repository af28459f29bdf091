#include "inspect/custom_detectors.h"

#include <hs/hs.h>

#include <cstdio>
#include <string>

#include "core/result.h"
#include "inspect/text/text_utils.h"

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

// The code point that ends at text[end - 1] (end > 0).
std::int32_t CodePointBefore(std::string_view text, std::size_t end) {
  std::size_t lead = end - 1;
  while (lead > 0 && (static_cast<unsigned char>(text[lead]) & 0xC0) == 0x80) --lead;
  std::size_t length = 0;
  return DecodeAt(text, lead, &length);
}

// Whether the code point that begins / ends `text` is a letter (or mark): a word character
// that is not ASCII.
bool StartsWithLetter(std::string_view text) {
  std::size_t length = 0;
  return !text.empty() && IsLetterCodePoint(DecodeAt(text, 0, &length));
}
bool EndsWithLetter(std::string_view text) {
  return !text.empty() && IsLetterCodePoint(CodePointBefore(text, text.size()));
}

// A word character of \b with Unicode properties: a letter or mark, a digit (the
// normaliser maps every script's digits to ASCII), or '_'.
bool IsWordCodePoint(std::int32_t cp) {
  return (cp >= '0' && cp <= '9') || cp == '_' || IsLetterCodePoint(cp);
}

}  // namespace

bool CustomPattern::AtWordEdges(std::string_view text, std::size_t from, std::size_t to) const {
  if (word_start && from > 0 && IsWordCodePoint(CodePointBefore(text, from))) return false;
  std::size_t length = 0;
  if (word_end && to < text.size() && IsWordCodePoint(DecodeAt(text, to, &length))) return false;
  return true;
}

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
    auto add = [&](std::string expression, unsigned int flags, float confidence, bool check,
                   bool word_start = false, bool word_end = false) -> core::Status {
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
      meanings.push_back({*type, confidence, label, word_start, word_end});
      return core::Status::Ok();
    };
    if (!detector.pattern.empty()) {
      const unsigned int flags = HS_FLAG_UTF8;
      if (core::Status s = add(detector.pattern, flags, 0.9F, true); !s.ok()) return s;
      continue;
    }
    for (const auto& term : detector.terms) {
      if (term.empty()) continue;
      const bool starts_word = IsWordByte(term.front()) || StartsWithLetter(term);
      const bool ends_word = IsWordByte(term.back()) || EndsWithLetter(term);
      if (HasNonAscii(term)) {
        // Unicode case folding (UCP), where Hyperscan rejects \b: boundaries in C++.
        const unsigned int flags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP;
        if (core::Status s = add(EscapeRegex(term), flags, 0.9F, false, starts_word, ends_word);
            !s.ok()) {
          return s;
        }
        continue;
      }
      std::string expression;
      if (starts_word) expression += "\\b";
      expression += EscapeRegex(term);
      if (ends_word) expression += "\\b";
      if (core::Status s = add(std::move(expression), HS_FLAG_CASELESS, 0.9F, false); !s.ok()) {
        return s;
      }
    }
  }
  return core::Status::Ok();
}

}  // namespace lanewise::inspect
