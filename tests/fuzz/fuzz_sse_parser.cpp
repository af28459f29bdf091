// libFuzzer target: the SSE parser. The first byte picks where the input is split into
// pieces (bytes arrive in arbitrary reads) and the event bound; the rest is the stream.
// Whatever the split, the events must be the same; no event may exceed the bound.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "http/sse_parser.h"

namespace {

std::vector<lanewise::http::SseEvent> Parse(std::string_view bytes, std::size_t step,
                                            std::size_t bound, bool& overflowed) {
  lanewise::http::SseParser parser(bound);
  std::vector<lanewise::http::SseEvent> events;
  for (std::size_t at = 0; at < bytes.size(); at += step)
    parser.Feed(bytes.substr(at, step), events);
  overflowed = parser.overflowed();
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + (data[0] & 0x0f);
  const std::size_t bound = (data[0] & 0x80) != 0 ? 64 : 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  bool whole_overflowed = false;
  bool split_overflowed = false;
  const auto whole = Parse(bytes, bytes.size() + 1, bound, whole_overflowed);
  const auto split = Parse(bytes, step, bound, split_overflowed);
  if (whole_overflowed != split_overflowed || whole.size() != split.size()) __builtin_trap();
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (whole[i].data != split[i].data || whole[i].event != split[i].event ||
        whole[i].id != split[i].id) {
      __builtin_trap();
    }
    if (bound > 0 && whole[i].data.size() > bound) __builtin_trap();
  }
  (void)lanewise::http::EncodeSseData(bytes);
  return 0;
}
