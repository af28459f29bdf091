#include "inspect/rules/network_validators.h"

#include <vector>

namespace lanewise::inspect {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAlnum(char c) {
  return IsDigit(c) || IsAlpha(c);
}
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool LabelValid(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!IsAlnum(c) && c != '-') return false;
  }
  return true;
}

// Length of a dotted quad at text[pos], 0 if none.
std::size_t Ipv4At(std::string_view text, std::size_t pos) {
  std::size_t i = pos;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (i >= text.size() || text[i] != '.') return 0;
      ++i;
    }
    std::size_t start = i;
    int value = 0;
    while (i < text.size() && IsDigit(text[i]) && i - start < 3) {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    const std::size_t len = i - start;
    if (len == 0 || value > 255 || (len > 1 && text[start] == '0')) return 0;
    if (i < text.size() && IsDigit(text[i])) return 0;
  }
  return i - pos;
}

}  // namespace

bool EmailValid(std::string_view candidate) {
  const std::size_t at = candidate.find('@');
  if (at == std::string_view::npos || at == 0 ||
      candidate.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = candidate.substr(0, at);
  const std::string_view domain = candidate.substr(at + 1);
  if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  std::size_t labels = 0;
  std::string_view last;
  std::size_t begin = 0;
  while (true) {
    const std::size_t dot = domain.find('.', begin);
    const std::string_view label =
        domain.substr(begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin);
    if (!LabelValid(label)) return false;
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    begin = dot + 1;
  }
  if (labels < 2 || last.size() < 2) return false;
  if (last.substr(0, 4) == "xn--") return true;
  for (char c : last) {
    if (!IsAlpha(c)) return false;
  }
  return true;
}

bool Ipv4Valid(std::string_view candidate) {
  return !candidate.empty() && Ipv4At(candidate, 0) == candidate.size();
}

std::size_t Ipv6Length(std::string_view text, std::size_t start) {
  std::size_t pos = start;
  int groups = 0;
  bool compressed = false;
  std::size_t best = 0;
  auto accept = [&](std::size_t end, int total) {
    if (compressed ? total <= 7 : total == 8) best = end - start;
  };
  if (text.substr(pos, 2) == "::") {
    compressed = true;
    pos += 2;
    accept(pos, 0);
  }
  while (pos < text.size()) {
    if (groups <= 6) {
      const std::size_t v4 = Ipv4At(text, pos);
      if (v4 > 0 && (groups > 0 || compressed)) {
        accept(pos + v4, groups + 2);
        if (best == pos + v4 - start) break;
      }
    }
    std::size_t len = 0;
    while (pos + len < text.size() && IsHex(text[pos + len]) && len < 5) ++len;
    if (len == 0 || len > 4) break;
    ++groups;
    const std::size_t after = pos + len;
    accept(after, groups);
    if (groups == 8 || after >= text.size() || text[after] != ':') break;
    if (after + 1 < text.size() && text[after + 1] == ':') {
      if (compressed) break;
      compressed = true;
      pos = after + 2;
      accept(pos, groups);
    } else {
      pos = after + 1;
    }
  }
  return best;
}

bool MacValid(std::string_view candidate) {
  std::vector<int> nibbles;
  if (candidate.size() == 17) {
    const char separator = candidate[2];
    if (separator != ':' && separator != '-') return false;
    for (std::size_t i = 0; i < 17; ++i) {
      if (i % 3 == 2) {
        if (candidate[i] != separator) return false;
      } else if (!IsHex(candidate[i])) {
        return false;
      }
    }
  } else if (candidate.size() == 14) {
    for (std::size_t i = 0; i < 14; ++i) {
      if (i == 4 || i == 9) {
        if (candidate[i] != '.') return false;
      } else if (!IsHex(candidate[i])) {
        return false;
      }
    }
  } else {
    return false;
  }
  bool all_zero = true;
  bool all_f = true;
  for (char c : candidate) {
    if (!IsHex(c)) continue;
    all_zero = all_zero && c == '0';
    all_f = all_f && (c == 'f' || c == 'F');
  }
  return !all_zero && !all_f;
}

std::size_t UrlLength(std::string_view candidate) {
  std::size_t n = candidate.size();
  while (n > 0) {
    const char c = candidate[n - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' ||
        c == '"') {
      --n;
      continue;
    }
    if (c == ')' || c == ']') {  // keep a closing bracket only if it closes one inside
      const char open = c == ')' ? '(' : '[';
      int balance = 0;
      for (std::size_t k = 0; k < n; ++k) {
        if (candidate[k] == open) ++balance;
        if (candidate[k] == c) --balance;
      }
      if (balance < 0) {
        --n;
        continue;
      }
    }
    break;
  }
  return n;
}

}  // namespace lanewise::inspect
