// Helpers shared by the wire flavours.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "tools/sim/json_builder.h"
#include "tools/sim/wire.h"

namespace lanewise::sim {

// [b0,b1,...]: a token's UTF-8 bytes, as logprobs entries carry them.
inline void AppendBytes(JsonBuilder& out, std::string_view token) {
  out.BeginArray();
  for (const char c : token) out.Int(static_cast<unsigned char>(c));
  out.EndArray();
}

std::unique_ptr<Wire> MakeLlamaWire(std::string model_alias);
std::unique_ptr<Wire> MakeOpenAiWire(std::string model_alias);

}  // namespace lanewise::sim
