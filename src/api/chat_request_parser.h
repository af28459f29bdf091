// Parsing an OpenAI chat-completions request body into the canonical ChatRequest.
// Errors say what is wrong and, for malformed JSON, where (line and column).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "core/chat_request.h"
#include "core/result.h"

namespace lanewise::api {

struct RequestHints {
  std::string_view data_class;  // x-lanewise-data-class
  std::string_view latency;     // x-lanewise-latency
  std::string_view session;     // x-lanewise-session
  std::string_view tenant;      // x-lanewise-tenant
};

core::Result<core::ChatRequest> ParseChatRequest(std::string_view body, const RequestHints& hints);

// The parts, for other fronts that translate their wire format into the OpenAI shape:
// a JSON document (errors say line and column), and the canonical request built from an
// OpenAI-shaped object (validated; hints from headers, then `metadata`).
core::Result<boost::json::value> ParseJsonBody(std::string_view body);
core::Result<core::ChatRequest> ChatRequestFromObject(boost::json::object body,
                                                      std::size_t wire_bytes,
                                                      const RequestHints& hints);

// "line L, column C" of a byte offset in `text` (1-based).
std::string DescribePosition(std::string_view text, std::size_t offset);

}  // namespace lanewise::api
