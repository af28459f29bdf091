// Context cues: whether one of a few words appears near a span. Detectors use this to
// raise confidence (a phone number after "tel:") or to accept a value that is only
// sensitive in context (a date after "born on").
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace lanewise::inspect {

// True when one of `words` (lower-case ASCII) occurs, case-insensitively and starting
// at a word boundary, within `before` bytes before `start` or `after` bytes after `end`.
bool NearWords(std::string_view text, std::size_t start, std::size_t end,
               std::initializer_list<std::string_view> words, std::size_t before = 40,
               std::size_t after = 0);

// Case-insensitive ASCII comparison of equal-length views.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace lanewise::inspect
