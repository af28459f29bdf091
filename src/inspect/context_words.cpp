#include "inspect/context_words.h"

#include <algorithm>
#include <bitset>

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
  // matches across them), then search each word with find().
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
  // word start once and compare the cues that begin with its byte (one find() per cue
  // over the whole window cost several times more). Other cues count anywhere.
  std::bitset<256> first_bytes;
  for (std::string_view word : words) {
    if (!word.empty()) first_bytes.set(static_cast<unsigned char>(word[0]));
  }
  for (std::size_t at = 0; at < n; ++at) {
    const char first = window[at];
    if (!first_bytes.test(static_cast<unsigned char>(first))) continue;
    if (!IsWordChar(first) || (at > 0 && IsWordChar(window[at - 1]))) continue;
    const std::string_view rest = window.substr(at);
    for (std::string_view word : words) {
      if (!word.empty() && word[0] == first && rest.starts_with(word)) return true;
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
