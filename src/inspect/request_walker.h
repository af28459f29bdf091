// RequestWalker: every piece of text in an OpenAI chat-completions body that would be
// sent to a lane, with its JSON pointer.
//
// The walk is generic, over a body the request schema (api/request_schema.h) has already
// validated and stripped of unlisted fields: every string value anywhere in the body
// (messages of any role, content parts, names, ids, tool-call arguments, legacy
// function_call, tool and function definitions with their JSON schemas, response_format
// schemas, stop sequences, user, metadata...), every number of six or more characters as
// the digits it reads as, and the keys of free-form objects (metadata, JSON schemas,
// logit_bias). Not visited: the top-level `model` alias (never sent), strings of the
// validated vocabulary ("user", "image_url", "auto"...), inline binary payloads that are
// base64 (data: URLs, audio and file data) and booleans.
//
// A key is visited at its member's pointer followed by kKeySuffix ("/metadata/4111~k");
// RFC 6901 escapes every '~' of a key, so the suffix never occurs in a real pointer.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

namespace lanewise::inspect {

struct RequestShape {
  bool needs_tools = false;    // tools/functions declared, or tool calls in the history
  bool needs_vision = false;   // an image content part
  std::size_t text_bytes = 0;  // total bytes of the strings visited
};

inline constexpr std::string_view kKeySuffix = "~k";
inline constexpr std::size_t kShortestScannedNumber = 6;

// Calls visit(pointer, text) for each text to scan, in document order. Numbers' texts are
// kept in `number_texts` (stable addresses), valid for as long as it is.
RequestShape WalkRequest(
    const boost::json::object& body,
    const std::function<void(const std::string& pointer, std::string_view text)>& visit,
    std::deque<std::string>& number_texts);
// The same, numbers' texts valid only during their visit.
RequestShape WalkRequest(
    const boost::json::object& body,
    const std::function<void(const std::string& pointer, std::string_view text)>& visit);

// The text a number is scanned as: integers (and integral doubles) as their decimal digits,
// other doubles as serialised.
std::string NumberText(const boost::json::value& number);

// Whether an entity's location names an object key (ends with kKeySuffix).
bool IsKeyLocation(std::string_view location);

// Appends one JSON pointer reference token, escaping '~' and '/' (RFC 6901).
void AppendPointerToken(std::string& pointer, std::string_view token);

}  // namespace lanewise::inspect
