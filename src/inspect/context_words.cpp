#include "inspect/context_words.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "inspect/ascii.h"

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
    } else if (word_cues < 64) {
      by_first_byte_[static_cast<unsigned char>(cue[0])] |= std::uint64_t{1} << word_cues;
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

bool CueList::Near(std::string_view text, std::size_t start, std::size_t end, std::size_t before,
                   std::size_t after) const {
  // Lower-case the two windows once into one buffer, separated by a NUL so that no cue
  // matches across them, and followed by eight zero bytes so that eight bytes can be
  // loaded at any position.
  char buffer[2 * 255 + 1 + 8];
  const std::size_t from = start > before ? start - before : 0;
  const std::size_t left = std::min<std::size_t>(start - from, 255);
  const std::size_t right =
      end < text.size() ? std::min<std::size_t>({after, text.size() - end, 255}) : 0;
  std::size_t n = 0;
  for (std::size_t i = start - left; i < start; ++i) buffer[n++] = ascii::Lower(text[i]);
  buffer[n++] = '\0';
  for (std::size_t i = end; i < end + right; ++i) buffer[n++] = ascii::Lower(text[i]);
  std::memset(buffer + n, 0, 8);
  const std::string_view window(buffer, n);
  // Visit each word start once and compare only the cues that begin with its byte (one
  // find() per cue over the whole window cost several times more).
  for (std::size_t at = 0; at < n; ++at) {
    const char first = window[at];
    std::uint64_t candidates = by_first_byte_[static_cast<unsigned char>(first)];
    if (candidates == 0 && beyond_64_.empty()) continue;
    if (!IsWordChar(first) || (at > 0 && IsWordChar(window[at - 1]))) continue;
    static_assert(std::endian::native == std::endian::little, "prefixes are little-endian");
    std::uint64_t head = 0;
    std::memcpy(&head, buffer + at, 8);
    for (; candidates != 0; candidates &= candidates - 1) {
      const WordCue& cue = cues_[static_cast<std::size_t>(std::countr_zero(candidates))];
      if ((head & cue.mask) != cue.prefix) continue;
      if (cue.rest.empty() || window.substr(at + 8).starts_with(cue.rest)) return true;
    }
    const std::string_view rest = window.substr(at);
    for (std::string_view cue : beyond_64_) {
      if (cue[0] == first && rest.starts_with(cue)) return true;
    }
  }
  return std::any_of(anywhere_.begin(), anywhere_.end(), [&](std::string_view cue) {
    return window.find(cue) != std::string_view::npos;
  });
}

bool NearWords(std::string_view text, std::size_t start, std::size_t end,
               std::initializer_list<std::string_view> words, std::size_t before,
               std::size_t after) {
  return CueList(words).Near(text, start, end, before, after);
}

}  // namespace lanewise::inspect
