// libFuzzer target: the OpenAI front's request parser (any bytes as a request body).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/chat_request_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  lanewise::api::RequestHints hints;
  auto parsed = lanewise::api::ParseChatRequest(body, hints);
  if (parsed.ok()) {
    // A request that parses names its model and has messages.
    if (parsed->model_alias.empty() || !parsed->body.contains("messages")) __builtin_trap();
  }
  return 0;
}
