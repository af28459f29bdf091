#include "inspect/context_words.h"

namespace lanewise::inspect {
namespace {

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

bool FindIn(std::string_view window, std::string_view word) {
  if (word.empty() || window.size() < word.size()) return false;
  for (std::size_t i = 0; i + word.size() <= window.size(); ++i) {
    if (Lower(window[i]) != word[0]) continue;
    if (i > 0 && IsWordChar(window[i - 1]) && IsWordChar(word[0])) continue;
    bool equal = true;
    for (std::size_t k = 1; k < word.size(); ++k) {
      if (Lower(window[i + k]) != word[k]) {
        equal = false;
        break;
      }
    }
    if (equal) return true;
  }
  return false;
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
  const std::size_t from = start > before ? start - before : 0;
  const std::string_view left = text.substr(from, start - from);
  const std::string_view right = end < text.size() ? text.substr(end, after) : std::string_view();
  for (std::string_view word : words) {
    if (FindIn(left, word) || FindIn(right, word)) return true;
  }
  return false;
}

}  // namespace lanewise::inspect
