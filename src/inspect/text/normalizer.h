// Normalizer: the text that detectors scan, and the way back to the original bytes.
//
// Detectors never see the raw string. They see its normalised form: Unicode NFKC
// (full-width letters and digits become ASCII, ligatures split), format characters
// (category Cf: zero-width spaces and joiners, soft hyphens, bidi marks) removed, every
// decimal digit of any script mapped to its ASCII digit, space separators (NBSP, thin
// space, ideographic space) turned into ' ', line/paragraph separators into '\n' and
// dashes (Pd, U+2212 minus) into '-'. Alongside the text it keeps, for every byte, the
// original byte range it came from, so spans found in the normalised text are reported
// in the original string's UTF-8 byte offsets.
//
// JSON escape sequences written in the text are decoded first ("\u0034" is a '4',
// "\u00a0" a no-break space, a surrogate pair one code point, "\n" a line feed): tool-call
// arguments and tool results are JSON inside a string, and a value escaped there is the
// same value. The span of a decoded escape maps back to the whole escape sequence.
//
// Pure ASCII input without a backslash is already normal: it is neither copied nor mapped.
// Invalid UTF-8 bytes become U+FFFD, one per byte. The output is always valid UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lanewise::inspect {

class NormalizedText {
 public:
  // The normalised text. Views `original` when it needed no change: the caller keeps
  // the original alive for as long as this object is used.
  std::string_view text() const { return identity_ ? original_ : std::string_view(storage_); }
  std::string_view original() const { return original_; }
  bool identity() const { return identity_; }

  // Maps the normalised span [start, end) to the smallest original byte span that
  // produced it. Requires start <= end <= text().size().
  std::pair<std::size_t, std::size_t> ToOriginal(std::size_t start, std::size_t end) const;

  // Normalised offsets where a format character was removed (between text()[p - 1] and
  // text()[p]), ascending. "4111<ZWSP>1111 1111 1111" scans as "41111111 1111 1111"
  // with a hidden break at 4: validators of grouped numbers may read it as a separator.
  const std::vector<std::uint32_t>& hidden_breaks() const { return hidden_breaks_; }

 private:
  friend NormalizedText Normalize(std::string_view original);

  std::string_view original_;
  bool identity_ = true;
  std::string storage_;
  // For every byte of storage_: the original byte range of the segment it came from.
  std::vector<std::uint32_t> orig_start_;
  std::vector<std::uint32_t> orig_end_;
  std::vector<std::uint32_t> hidden_breaks_;
};

NormalizedText Normalize(std::string_view original);

}  // namespace lanewise::inspect
