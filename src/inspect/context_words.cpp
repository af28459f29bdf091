#include "inspect/context_words.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace lanewise::inspect {
namespace {

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool NearWords(std::string_view text, std::size_t start, std::size_t end,
               std::initializer_list<std::string_view> words, std::size_t before,
               std::size_t after) {
  // Lower-case the two windows once into one buffer (separated by a NUL so that no word
  // matches across them).
  char buffer[512];
  const std::size_t from = start > before ? start - before : 0;
  const std::size_t left = std::min<std::size_t>(start - from, 255);
  const std::size_t right =
      end < text.size() ? std::min<std::size_t>({after, text.size() - end, 255}) : 0;
  std::size_t n = 0;
  for (std::size_t i = start - left; i < start; ++i) buffer[n++] = Lower(text[i]);
  buffer[n++] = '\0';
  for (std::size_t i = end; i < end + right; ++i) buffer[n++] = Lower(text[i]);
  const std::string_view window(buffer, n);
  // A cue that starts with a word character counts only where a word starts: visit each
  // word start once and compare only the cues that begin with its byte (one find() per
  // cue over the whole window cost several times more). Other cues count anywhere.
  // cues_by_first_byte[b] has bit i set when the list's i-th cue begins with byte b.
  const std::string_view* cues = words.begin();
  std::array<std::uint64_t, 256> cues_by_first_byte{};
  std::vector<std::string_view> overflow;  // cues past the 64th, rare
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (cues[i].empty()) continue;
    if (i < 64) {
      cues_by_first_byte[static_cast<unsigned char>(cues[i][0])] |= std::uint64_t{1} << i;
    } else {
      overflow.push_back(cues[i]);
    }
  }
  for (std::size_t at = 0; at < n; ++at) {
    const char first = window[at];
    std::uint64_t candidates = cues_by_first_byte[static_cast<unsigned char>(first)];
    if (candidates == 0 && overflow.empty()) continue;
    if (!IsWordChar(first) || (at > 0 && IsWordChar(window[at - 1]))) continue;
    const std::string_view rest = window.substr(at);
    for (; candidates != 0; candidates &= candidates - 1) {
      if (rest.starts_with(cues[std::countr_zero(candidates)])) return true;
    }
    for (std::string_view word : overflow) {
      if (word[0] == first && rest.starts_with(word)) return true;
    }
  }
  for (std::string_view word : words) {
    if (!word.empty() && !IsWordChar(word[0]) && window.find(word) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace lanewise::inspect
