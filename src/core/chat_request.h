// ChatRequest: the one internal request model.
//
// Lanewise's canonical request is the OpenAI chat-completions body held as a mutable JSON
// DOM, so that fields the gateway does not know are carried to the lane untouched. Fronts
// (OpenAI, later Anthropic) translate their wire format into this shape; lane adapters
// translate it into the provider's. The facts the gateway itself needs are pulled out into
// typed members once, at parse time.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <vector>

namespace lanewise::core {

enum class LatencyTier { kUnspecified, kInteractive, kBackground, kBatch };

struct ChatRequest {
  boost::json::object body;  // canonical OpenAI chat-completions request

  std::string model_alias;  // the `model` the client asked for
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage

  // Hints from headers or `metadata`; empty when absent.
  std::string declared_data_class;                       // x-lanewise-data-class
  LatencyTier latency_tier = LatencyTier::kUnspecified;  // x-lanewise-latency
  std::string session_id;                                // x-lanewise-session
  std::string tenant;                                    // x-lanewise-tenant

  // Paths of the fields the gateway removed because no lane may receive them
  // (api/request_schema.h); reported to the client, never sent.
  std::vector<std::string> dropped_fields;
  // Anthropic stop_sequences: applied by the front, never sent to the lane (a lane does not
  // say which one it stopped at; api/stop_sequences.h).
  std::vector<std::string> stop_sequences;

  std::string request_id;
  bool request_id_from_client = false;  // the client's x-request-id (inspected: it may be sent)
  std::size_t wire_bytes = 0;           // size of the body as received
};

}  // namespace lanewise::core
