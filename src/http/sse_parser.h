// SseParser: incremental parser for text/event-stream (the WHATWG server-sent events
// format). Bytes arrive in arbitrary pieces; complete events come out.
//
// Handles LF, CRLF and lone CR line ends (also split across pieces), multi-line `data:`
// (joined with "\n"), comment lines (":" ...), `event:` and `id:` fields, and an optional
// single space after the colon. An event is dispatched on a blank line; a trailing event
// without its blank line is not dispatched (the stream was cut).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lanewise::http {

struct SseEvent {
  std::string event;  // empty when no `event:` field
  std::string data;
  std::string id;
};

class SseParser {
 public:
  // `max_event_bytes` bounds one event (its fields and its current line together); 0 means
  // no bound. Past the bound the parser stops buffering and reports overflowed(): an
  // endless line or a huge event costs at most that much memory.
  explicit SseParser(std::size_t max_event_bytes = 0) : max_event_bytes_(max_event_bytes) {}

  // Feeds bytes; appends every event completed by them to `out`. Does nothing once
  // overflowed.
  void Feed(std::string_view bytes, std::vector<SseEvent>& out);
  bool overflowed() const { return overflowed_; }
  std::size_t max_event_bytes() const { return max_event_bytes_; }

  // True when bytes of an unfinished event are buffered (useful to detect a cut stream).
  bool HasPartialEvent() const { return !line_.empty() || has_fields_; }
  std::size_t comments_seen() const { return comments_; }

 private:
  void ProcessLine(std::vector<SseEvent>& out);
  std::size_t PendingBytes() const {
    return line_.size() + current_.data.size() + current_.event.size() + current_.id.size();
  }

  std::string line_;
  bool last_was_cr_ = false;
  bool has_fields_ = false;
  bool has_data_ = false;
  SseEvent current_;
  std::size_t comments_ = 0;
  std::size_t max_event_bytes_ = 0;
  bool overflowed_ = false;
};

// Encodes one event as `data: ...\n\n` (multi-line data becomes several data lines).
std::string EncodeSseData(std::string_view data);
// The same, appended to `out` (no string of its own).
void AppendSseData(std::string& out, std::string_view data);

}  // namespace lanewise::http
