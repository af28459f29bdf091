// JsonText: a string whose content is itself a JSON document (tool-call arguments, tool
// results, a JSON object pasted into a message), read token by token so that a value
// found in its text can be rewritten inside the decoded value and the document written
// back as valid JSON.
//
// The inspector scans such a string as text (its escapes decoded by the normaliser), so
// an entity's span is in the string's raw bytes. RewriteJsonText maps each span to the
// string, key or number tokens it overlaps, rewrites the decoded value there, and
// re-encodes the token: a number becomes a JSON string holding its replacement.
// Everything outside the rewritten tokens (layout, other values) is kept byte for byte.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lanewise::redact {

struct JsonToken {
  enum class Kind { kString, kKey, kNumber };
  Kind kind;
  std::size_t start;  // raw offsets; a string's token includes its quotes
  std::size_t end;
};

// The string, key and number tokens of `text` when it is a JSON object or array; nullopt
// for anything else (prose, a bare scalar, invalid JSON).
std::optional<std::vector<JsonToken>> TokenizeJsonText(std::string_view text);

// A span of the raw text to rewrite, and what to put there: `replace(value)` gets the
// decoded value the span covers inside one token and returns its replacement.
struct JsonTextSpan {
  std::size_t start;
  std::size_t end;
  std::function<std::string(std::string_view value)> replace;
};

// `text` (tokenized by TokenizeJsonText into `tokens`) with each span rewritten inside
// the tokens it overlaps; spans must be sorted by start and not overlap. Also returns the
// raw ranges of the output that hold replacements (for later scans to skip).
struct JsonTextRewrite {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> written;
};
JsonTextRewrite RewriteJsonText(std::string_view text, const std::vector<JsonToken>& tokens,
                                const std::vector<JsonTextSpan>& spans);

}  // namespace lanewise::redact
