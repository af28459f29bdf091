#pragma once
// JSON string escapes ("\n", "\u00e9", surrogate pairs), decoded one sequence at a time.
// Shared by the normaliser (escapes inside JSON-encoded strings are read as the characters
// they stand for) and the redactor (placeholders go into the decoded value).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lanewise::inspect {

struct JsonEscape {
  std::uint32_t code_point = 0;
  std::size_t length = 0;  // bytes of the sequence; 0: no escape at that position
};

// The escape sequence starting at `at`. An unpaired surrogate stands for U+FFFD. A backslash
// that starts no valid sequence gives length 0.
JsonEscape JsonEscapeAt(std::string_view text, std::size_t at);

// Appends `code_point` encoded as UTF-8.
void AppendUtf8(std::string& out, std::uint32_t code_point);

}  // namespace lanewise::inspect
