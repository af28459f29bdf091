#include "inspect/rules/secret_detector.h"

#include <array>
#include <cmath>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "inspect/text/context_words.h"

namespace lanewise::inspect {
namespace {

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

bool DecodeBase64Url(std::string_view in, std::string& out) {
  unsigned int buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = Base64UrlValue(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<unsigned int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return true;
}

bool IsQuote(char c) {
  return c == '"' || c == '\'' || c == '`';
}

// What ends an unquoted value: white space and the punctuation that closes or separates
// fields. Quotes do not: a password can hold them ("9G0no\"65\"JT2m" was cut at its first
// quote, and the rest went out unredacted).
bool EndsUnquotedValue(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == '}' ||
         c == ')' || c == ']' || c == '<' || c == '>';
}

// The end of a value opened by `quote` at text[open - 1]: its first closing quote that no
// backslash escapes and that the end of a field follows. npos when there is none (the
// value is then read as unquoted): in '"9G0no"65"JT2m"' the second quote closes nothing.
std::size_t QuotedValueEnd(std::string_view text, std::size_t open, char quote) {
  for (std::size_t i = open; i < text.size() && text[i] != '\n'; ++i) {
    if (text[i] == '\\') {
      ++i;  // the escaped byte is part of the value
      continue;
    }
    if (text[i] != quote) continue;
    const bool field_ends = i + 1 == text.size() || EndsUnquotedValue(text[i + 1]) ||
                            text[i + 1] == '.' || text[i + 1] == ':';
    return field_ends ? i : std::string_view::npos;
  }
  return std::string_view::npos;
}

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiAlnum(char c) {
  return IsAsciiLetter(c) || (c >= '0' && c <= '9');
}

// Whether a word of `value` may start or end at `at`: an end of the value, punctuation on
// either side, or a lower-case letter before an upper-case one ("yourToken"). Letters in
// one case and digits run on ("HEREZ", "here2").
bool WordBoundary(std::string_view value, std::size_t at) {
  if (at == 0 || at >= value.size()) return true;
  const char before = value[at - 1];
  const char after = value[at];
  if (!IsAsciiAlnum(before) || !IsAsciiAlnum(after)) return true;
  return before >= 'a' && before <= 'z' && after >= 'A' && after <= 'Z';
}

bool IsPlaceholder(std::string_view value) {
  if (value.empty()) return true;
  const char first = value.front();
  if (first == '$' || first == '{' || first == '<' || first == '%' || first == '[' ||
      first == '(') {
    return true;  // ${VAR}, {{template}}, <redacted>, %s
  }
  bool same = true;
  for (char c : value) same = same && (c == first);
  if (same) return true;  // "********", "xxxxxxxx"
  // Filler runs ("sk-xxxxxxxxxxxx", "xoxb-XXXX-XXXX"): four or more x or * that stand
  // alone between separators or the value's ends, or six or more anywhere. Four x inside
  // a random run ("...WC80bmxxXXbxd9...") are chance, as for the words below: a real key
  // must not leave for them.
  for (std::size_t i = 0; i < value.size();) {
    const char c = value[i];
    if (c != 'x' && c != 'X' && c != '*') {
      ++i;
      continue;
    }
    const bool star = c == '*';
    std::size_t end = i;
    while (end < value.size() &&
           (star ? value[end] == '*' : (value[end] == 'x' || value[end] == 'X'))) {
      ++end;
    }
    const std::size_t length = end - i;
    const bool alone = (i == 0 || !IsAsciiAlnum(value[i - 1])) &&
                       (end == value.size() || !IsAsciiAlnum(value[end]));
    if (length >= 6 || (length >= 4 && alone)) return true;
    i = end;
  }
  // Placeholder words, as words of the value ("your-token-here", "YOUR_API_KEY",
  // "yourTokenHere"), never as letters inside a random run: a real key may hold "HERE"
  // or "true" by chance ("...xBNB8M1xGy1xHEREZ"), and a secret must not leave for that.
  for (std::string_view word :
       {"null",    "none",     "true",     "false",  "string",      "required",  "optional",
        "example", "redacted", "changeme", "your",   "placeholder", "undefined", "password",
        "secret",  "token",    "dummy",    "hidden", "masked",      "here"}) {
    for (std::size_t i = 0; i + word.size() <= value.size(); ++i) {
      if (EqualsIgnoreCase(value.substr(i, word.size()), word) && WordBoundary(value, i) &&
          WordBoundary(value, i + word.size())) {
        return true;
      }
    }
  }
  return false;
}

int CharClasses(std::string_view value) {
  bool lower = false, upper = false, digit = false, other = false;
  for (char c : value) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  return int{lower} + int{upper} + int{digit} + int{other};
}

}  // namespace

double ShannonEntropy(std::string_view value) {
  if (value.empty()) return 0;
  std::array<int, 256> counts{};
  for (char c : value) ++counts[static_cast<unsigned char>(c)];
  double entropy = 0;
  const double n = static_cast<double>(value.size());
  for (int count : counts) {
    if (count == 0) continue;
    const double p = count / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

bool JwtValid(std::string_view token) {
  const std::size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return false;
  const std::size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return false;
  }
  std::string header;
  if (!DecodeBase64Url(token.substr(0, dot1), header)) return false;
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(header, ec);
  if (ec || !parsed.is_object()) return false;
  return parsed.as_object().contains("alg");
}

std::size_t PemBlockEnd(std::string_view text, std::size_t begin) {
  const std::size_t end_marker = text.find("-----END ", begin);
  if (end_marker == std::string_view::npos) return text.size();
  const std::size_t close = text.find("-----", end_marker + 9);
  if (close == std::string_view::npos) return text.size();
  return close + 5;
}

std::optional<std::pair<std::size_t, std::size_t>> AssignedSecret(std::string_view text,
                                                                  std::size_t start,
                                                                  std::size_t end) {
  // The match is "key<quote?><spaces>(:|=|is)"; the value follows the separator.
  std::size_t i = start;
  std::size_t after = 0;
  for (; i < end; ++i) {
    if (text[i] == ':' || text[i] == '=') {
      after = i + 1;
      break;
    }
    if (text[i] == ' ' && i + 3 <= end && EqualsIgnoreCase(text.substr(i, 3), " is")) {
      after = i + 3;
      break;
    }
  }
  if (after == 0) return std::nullopt;
  i = after;
  char quote = 0;  // the quote that opens the value, if any
  for (int skipped = 0; i < text.size() && skipped < 6; ++skipped) {
    const char c = text[i];
    if (c != ' ' && c != ':' && c != '=' && c != '\t' && !IsQuote(c)) break;
    quote = IsQuote(c) ? c : 0;  // the last skipped byte: a quote right before the value
    ++i;
  }
  std::size_t value_end = quote != 0 ? QuotedValueEnd(text, i, quote) : std::string_view::npos;
  if (value_end == std::string_view::npos) {
    value_end = i;
    while (value_end < text.size() && !EndsUnquotedValue(text[value_end])) ++value_end;
    // A sentence-ending dot and closing quotes are not part of the value.
    while (value_end > i && (text[value_end - 1] == '.' || text[value_end - 1] == ':' ||
                             IsQuote(text[value_end - 1]))) {
      --value_end;
    }
  }
  const std::string_view value = text.substr(i, value_end - i);
  if (value.size() < 6 || value.size() > 512 || IsPlaceholder(value)) return std::nullopt;
  const std::string_view key = text.substr(start, i - start);
  static const CueList kPasswordCues{"pass", "pwd", "passphrase"};
  const bool password_key = kPasswordCues.Near(key, key.size(), key.size(), key.size());
  const double entropy = ShannonEntropy(value);
  if (password_key) {
    if (value.size() < 6 || (CharClasses(value) < 2 && entropy < 2.5)) return std::nullopt;
  } else {
    // Tokens and keys: long and random. Threshold in bits per character.
    if (value.size() < 12 || entropy < 3.0 || CharClasses(value) < 2) return std::nullopt;
  }
  return std::make_pair(i, value_end);
}

bool PrefixedTokenPlausible(std::string_view token) {
  std::size_t body = token.find_last_of("_-");
  std::string_view rest = body == std::string_view::npos ? token : token.substr(body + 1);
  if (rest.size() < 8) rest = token;
  return !IsPlaceholder(rest) && ShannonEntropy(rest) >= 2.5;
}

}  // namespace lanewise::inspect
