#include "http/sse_parser.h"

#include <cstring>

namespace lanewise::http {

void SseParser::Feed(std::string_view bytes, std::vector<SseEvent>& out) {
  if (overflowed_) return;
  const char* at = bytes.data();
  const char* const end = at + bytes.size();
  while (at < end) {
    if (last_was_cr_) {
      last_was_cr_ = false;
      if (*at == '\n') {  // the LF of a CRLF pair
        ++at;
        continue;
      }
    }
    // A line's bytes up to its CR or LF are appended in one piece (found with memchr).
    const auto* lf =
        static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)));
    const char* line_end = lf != nullptr ? lf : end;
    const auto* cr =
        static_cast<const char*>(std::memchr(at, '\r', static_cast<std::size_t>(line_end - at)));
    const char* stop = cr != nullptr ? cr : line_end;
    line_.append(at, static_cast<std::size_t>(stop - at));
    if (max_event_bytes_ > 0 && PendingBytes() > max_event_bytes_) {
      overflowed_ = true;
      line_ = std::string();  // give the memory back now
      current_ = SseEvent{};
      return;
    }
    if (stop == end) break;
    last_was_cr_ = (*stop == '\r');
    ProcessLine(out);
    line_.clear();
    at = stop + 1;
  }
}

void SseParser::ProcessLine(std::vector<SseEvent>& out) {
  if (line_.empty()) {
    if (has_data_) out.push_back(std::move(current_));
    current_ = SseEvent{};
    has_fields_ = false;
    has_data_ = false;
    return;
  }
  if (line_[0] == ':') {
    ++comments_;
    return;
  }
  std::string_view line(line_);
  std::string_view field = line;
  std::string_view value;
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  has_fields_ = true;
  if (field == "data") {
    if (has_data_) current_.data.push_back('\n');
    current_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    current_.event.assign(value);
  } else if (field == "id") {
    current_.id.assign(value);
  }
  // "retry" and unknown fields are ignored, as the format prescribes.
}

std::string EncodeSseData(std::string_view data) {
  std::string out;
  AppendSseData(out, data);
  return out;
}

void AppendSseData(std::string& out, std::string_view data) {
  out.reserve(out.size() + data.size() + 8);
  std::size_t start = 0;
  while (true) {
    std::size_t nl = data.find('\n', start);
    out.append("data: ");
    out.append(data.substr(start, nl == std::string_view::npos ? nl : nl - start));
    out.push_back('\n');
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  out.push_back('\n');
}

}  // namespace lanewise::http
