#include "inspect/text/context_words.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "inspect/text/ascii.h"
#include "inspect/text/byte_masks.h"

namespace lanewise::inspect {
namespace {

// Word characters for cue boundaries: ASCII letters and digits, and any byte of a
// multi-byte UTF-8 sequence (accented letters).
bool IsWordChar(char c) {
  return ascii::IsAlnum(c) || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii::Lower(a[i]) != ascii::Lower(b[i])) return false;
  }
  return true;
}

CueList::CueList(std::initializer_list<std::string_view> cues) {
  std::size_t word_cues = 0;
  for (std::string_view cue : cues) {
    if (cue.empty()) continue;
    if (!IsWordChar(cue[0])) {
      anywhere_.push_back(cue);
      continue;
    }
    const auto first = static_cast<unsigned char>(cue[0]);
    first_bytes_[first >> 6] |= std::uint64_t{1} << (first & 63);
    if (word_cues < 64) {
      by_first_byte_[first] |= std::uint64_t{1} << word_cues;
      WordCue prepared;  // bit i names cues_[i]
      const std::size_t head = std::min<std::size_t>(cue.size(), 8);
      for (std::size_t k = 0; k < head; ++k) {
        prepared.prefix |= std::uint64_t{static_cast<unsigned char>(cue[k])} << (8 * k);
        prepared.mask |= std::uint64_t{0xFF} << (8 * k);
      }
      prepared.rest = cue.substr(head);
      cues_.push_back(prepared);
      ++word_cues;
    } else {
      beyond_64_.push_back(cue);
    }
  }
}

namespace {

using byte_masks::BytesIn;
using byte_masks::kOnes;
using byte_masks::kTops;
using byte_masks::LoadEight;

// The bytes with ASCII upper case lowered.
std::uint64_t Lowered(std::uint64_t bytes) {
  return bytes | (BytesIn(bytes, 'A', 'Z') >> 2);
}

// Bit 7 of each word character (IsWordChar) of `bytes`.
std::uint64_t WordChars(std::uint64_t bytes) {
  return BytesIn(bytes, '0', '9') | BytesIn(bytes | (kOnes * 0x20), 'a', 'z') | (bytes & kTops);
}

// Whether text[at, at + lower.size()) lower-cased equals `lower`.
bool EqualsLowered(std::string_view text, std::size_t at, std::string_view lower) {
  for (std::size_t k = 0; k < lower.size(); ++k) {
    if (ascii::Lower(text[at + k]) != lower[k]) return false;
  }
  return true;
}

}  // namespace

bool CueList::InRange(std::string_view text, std::size_t from, std::size_t to) const {
  // Word starts found eight bytes at a time: a word character whose predecessor is not
  // one (the range's first byte counts as following a non-word byte).
  std::uint64_t word_before = 0;  // bit 7 set when the byte before the chunk is a word char
  for (std::size_t chunk = from; chunk < to; chunk += 8) {
    const std::uint64_t words = WordChars(LoadEight(text, chunk, to));
    std::uint64_t starts = words & ~((words << 8) | word_before);
    word_before = (words >> 56) & 0x80;
    for (; starts != 0; starts &= starts - 1) {
      const std::size_t at = chunk + byte_masks::FirstMarked(starts);
      if (CueAt(text, at, to)) return true;
    }
  }
  return false;
}

bool CueList::CueAt(std::string_view text, std::size_t at, std::size_t to) const {
  const auto first = static_cast<unsigned char>(ascii::Lower(text[at]));
  if (((first_bytes_[first >> 6] >> (first & 63)) & 1) == 0) return false;
  const std::uint64_t head = Lowered(LoadEight(text, at, to));
  for (std::uint64_t candidates = by_first_byte_[first]; candidates != 0;
       candidates &= candidates - 1) {
    const WordCue& cue = cues_[static_cast<std::size_t>(std::countr_zero(candidates))];
    if ((head & cue.mask) != cue.prefix) continue;
    if (cue.rest.empty()) return true;
    if (at + 8 + cue.rest.size() <= to && EqualsLowered(text, at + 8, cue.rest)) return true;
  }
  for (std::string_view cue : beyond_64_) {
    if (at + cue.size() <= to && EqualsLowered(text, at, cue)) return true;
  }
  return false;
}

bool CueList::Near(std::string_view text, std::size_t start, std::size_t end, std::size_t before,
                   std::size_t after) const {
  const std::size_t left = std::min<std::size_t>({start, before, 255});
  const std::size_t right =
      end < text.size() ? std::min<std::size_t>({after, text.size() - end, 255}) : 0;
  // Word cues in place: each window is scanned for word starts whose first byte begins
  // a cue, and only those cues are compared.
  if (InRange(text, start - left, start) || InRange(text, end, end + right)) return true;
  if (anywhere_.empty()) return false;
  // Cues that need no word start: the lower-cased windows joined by a NUL, so that no cue
  // matches across them.
  std::string window;
  window.reserve(left + 1 + right);
  for (std::size_t i = start - left; i < start; ++i) window += ascii::Lower(text[i]);
  window += '\0';
  for (std::size_t i = end; i < end + right; ++i) window += ascii::Lower(text[i]);
  return std::any_of(anywhere_.begin(), anywhere_.end(),
                     [&](std::string_view cue) { return window.find(cue) != std::string::npos; });
}

bool NearWords(std::string_view text, std::size_t start, std::size_t end,
               std::initializer_list<std::string_view> words, std::size_t before,
               std::size_t after) {
  return CueList(words).Near(text, start, end, before, after);
}

}  // namespace lanewise::inspect
