#include "redact/json_text.h"

#include "inspect/text/json_escape.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace lanewise::redact {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// One unit of a string token's raw content (a byte, or a whole escape sequence) and the
// decoded bytes it became.
struct Unit {
  std::size_t raw_start;
  std::size_t raw_end;
  std::size_t decoded_start;
  std::size_t decoded_end;
};

// The decoded content of a string token (raw content without its quotes), unit by unit.
std::string Decode(std::string_view raw, std::vector<Unit>& units) {
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t from = i;
    const std::size_t decoded_from = out.size();
    const inspect::JsonEscape escape = inspect::JsonEscapeAt(raw, i);
    if (escape.length == 0) {
      out.push_back(raw[i++]);
    } else {
      inspect::AppendUtf8(out, escape.code_point);
      i += escape.length;
    }
    units.push_back({from, i, decoded_from, out.size()});
  }
  return out;
}

// `value` escaped as JSON string content (without quotes).
std::string Escape(std::string_view value) {
  const std::string quoted = boost::json::serialize(boost::json::value(value));
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

std::optional<std::vector<JsonToken>> TokenizeJsonText(std::string_view text) {
  std::size_t first = 0;
  while (first < text.size() && IsSpace(text[first])) ++first;
  if (first == text.size() || (text[first] != '{' && text[first] != '[')) return std::nullopt;
  boost::system::error_code ec;
  boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  // Valid JSON from here on: a string runs to its first unescaped quote, a number is the
  // run of number bytes at a minus sign or a digit outside strings.
  std::vector<JsonToken> tokens;
  std::size_t i = first;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
      const std::size_t end = j + 1;
      std::size_t next = end;
      while (next < text.size() && IsSpace(text[next])) ++next;
      const bool key = next < text.size() && text[next] == ':';
      tokens.push_back({key ? JsonToken::Kind::kKey : JsonToken::Kind::kString, i, end});
      i = end;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t j = i + 1;
      while (j < text.size() &&
             std::string_view("+-.eE0123456789").find(text[j]) != std::string_view::npos) {
        ++j;
      }
      tokens.push_back({JsonToken::Kind::kNumber, i, j});
      i = j;
    } else {
      ++i;
    }
  }
  return tokens;
}

JsonTextRewrite RewriteJsonText(std::string_view text, const std::vector<JsonToken>& tokens,
                                const std::vector<JsonTextSpan>& spans) {
  JsonTextRewrite result;
  std::string& out = result.text;
  out.reserve(text.size() + 32);
  std::size_t done = 0;
  for (const JsonToken& token : tokens) {
    std::vector<const JsonTextSpan*> touching;
    for (const JsonTextSpan& span : spans) {
      if (span.start < token.end && span.end > token.start) touching.push_back(&span);
    }
    if (touching.empty()) continue;
    out.append(text.substr(done, token.start - done));
    done = token.end;
    if (token.kind == JsonToken::Kind::kNumber) {
      const std::string replacement =
          touching.front()->replace(text.substr(token.start, token.end - token.start));
      const std::string escaped = Escape(replacement);
      out.push_back('"');
      result.written.emplace_back(out.size(), out.size() + escaped.size());
      out += escaped;
      out.push_back('"');
      continue;
    }
    const std::size_t content_start = token.start + 1;
    const std::string_view raw = text.substr(content_start, token.end - 1 - content_start);
    std::vector<Unit> units;
    const std::string decoded = Decode(raw, units);
    out.push_back('"');
    std::size_t decoded_done = 0;
    for (const JsonTextSpan* span : touching) {
      const std::size_t content_end = token.end - 1;
      const std::size_t lo = std::max(span->start, content_start);
      const std::size_t hi = std::min(span->end, content_end);
      if (lo >= hi) continue;  // the span touches the quotes only
      const std::size_t a = lo - content_start;
      const std::size_t b = hi - content_start;
      std::size_t from = decoded.size();
      std::size_t to = decoded_done;
      for (const Unit& u : units) {
        if (u.raw_end > a && u.raw_start < b) {
          from = std::min(from, u.decoded_start);
          to = std::max(to, u.decoded_end);
        }
      }
      from = std::max(from, decoded_done);
      if (from >= to) continue;
      out += Escape(std::string_view(decoded).substr(decoded_done, from - decoded_done));
      const std::string escaped =
          Escape(span->replace(std::string_view(decoded).substr(from, to - from)));
      result.written.emplace_back(out.size(), out.size() + escaped.size());
      out += escaped;
      decoded_done = to;
    }
    out += Escape(std::string_view(decoded).substr(decoded_done));
    out.push_back('"');
  }
  out.append(text.substr(done));
  return result;
}

}  // namespace lanewise::redact
