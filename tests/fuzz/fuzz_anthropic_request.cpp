// libFuzzer target: the Anthropic front's request translation, and the translation of an
// answer back (the same bytes read as a completion, and as a stream of chunks).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/anthropic_request.h"
#include "api/anthropic_response.h"
#include "api/chat_request_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  lanewise::api::RequestHints hints;
  auto parsed = lanewise::api::ParseAnthropicRequest(bytes, hints);
  if (parsed.ok() && !parsed->body.contains("messages")) __builtin_trap();

  (void)lanewise::api::AnthropicMessageFromCompletion(bytes, {"END", "\n\n"});
  // Lines as chunks of a stream, with a stop sequence to look for.
  lanewise::api::AnthropicStreamTranslator translator({"STOP"}, 7);
  std::size_t start = 0;
  while (start <= bytes.size()) {
    std::size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    (void)translator.OnChunk(bytes.substr(start, end - start));
    if (translator.Finished()) break;
    start = end + 1;
  }
  (void)translator.OnDone();
  return 0;
}
