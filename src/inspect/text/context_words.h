// Context cues: whether one of a few words appears near a span. Detectors use this to
// raise confidence (a phone number after "tel:") or to accept a value that is only
// sensitive in context (a date after "born on").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace lanewise::inspect {

// A list of cue words (lower-case ASCII, or UTF-8 as written) prepared once for many
// lookups: detectors keep theirs in a function-local static. A cue that starts with a
// word character counts only where a word starts; other cues ("ss#") count anywhere.
class CueList {
 public:
  // The views must outlive the list (string literals do).
  CueList(std::initializer_list<std::string_view> cues);

  // True when a cue occurs, case-insensitively (ASCII), within `before` bytes before
  // `start` or `after` bytes after `end` (each window at most 255 bytes).
  bool Near(std::string_view text, std::size_t start, std::size_t end, std::size_t before,
            std::size_t after = 0) const;

 private:
  // A word cue with its first eight bytes as a number, compared with one load.
  struct WordCue {
    std::uint64_t prefix = 0;  // first bytes, little-endian, zero past the cue's end
    std::uint64_t mask = 0;    // the bytes of prefix that belong to the cue
    std::string_view rest;     // the bytes after the first eight
  };
  std::vector<WordCue> cues_;
  // Whether a word cue starts at a word start in text[from, to) and ends within it.
  bool InRange(std::string_view text, std::size_t from, std::size_t to) const;
  // Whether a word cue starts at text[at] (a word start) and ends by `to`.
  bool CueAt(std::string_view text, std::size_t at, std::size_t to) const;

  // Bit b: some word cue begins with byte b (a 32-byte filter asked at every byte).
  std::array<std::uint64_t, 4> first_bytes_{};
  // Bit i of by_first_byte_[b]: cue i (of the first 64) begins with byte b and starts with
  // a word character. Each word start of the window then compares only those cues.
  std::array<std::uint64_t, 256> by_first_byte_{};
  std::vector<std::string_view> beyond_64_;  // further word cues, rare
  std::vector<std::string_view> anywhere_;   // cues not starting with a word character
};

// The same for a list given at the call (prepared on every call: for tests and rare
// paths).
bool NearWords(std::string_view text, std::size_t start, std::size_t end,
               std::initializer_list<std::string_view> words, std::size_t before = 40,
               std::size_t after = 0);

// Case-insensitive ASCII comparison of equal-length views.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace lanewise::inspect
