// Small UTF-8 helpers shared by the tokenizer and the gazetteer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lanewise::inspect {

// Decodes the code point at text[i] (valid UTF-8 expected; an invalid byte decodes as
// U+FFFD of length 1). Sets `length` to its byte length.
std::int32_t DecodeAt(std::string_view text, std::size_t i, std::size_t* length);

// Lower-cases (simple case mapping, per code point) and appends to `out`.
void AppendLower(std::string_view text, std::string& out);
std::string LowerUtf8(std::string_view text);

bool IsLetterCodePoint(std::int32_t cp);  // categories L* and M* (marks join words)
bool IsUpperCodePoint(std::int32_t cp);   // Lu, Lt
bool IsLowerCodePoint(std::int32_t cp);   // Ll

}  // namespace lanewise::inspect
