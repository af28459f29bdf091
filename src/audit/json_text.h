// JsonText: writes a JSON document straight into a string, for the audit payloads built
// on the data path (two per request): no DOM, one growing buffer. Strings are escaped and
// any invalid UTF-8 byte becomes U+FFFD, so the text always parses. The caller keeps the
// structure balanced (Key only inside an object, End* matching Begin*).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lanewise::audit {

class JsonText {
 public:
  explicit JsonText(std::size_t reserve = 512) { out_.reserve(reserve); }

  JsonText& BeginObject() { return Open('{'); }
  JsonText& EndObject() { return Close('}'); }
  JsonText& BeginArray() { return Open('['); }
  JsonText& EndArray() { return Close(']'); }
  JsonText& Key(std::string_view key);
  JsonText& String(std::string_view value);
  JsonText& Int(std::int64_t value);
  JsonText& Double(double value);  // shortest round-trip form; NaN and infinities as null
  JsonText& Bool(bool value);

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  JsonText& Open(char bracket);
  JsonText& Close(char bracket);
  void Separate();
  void Escaped(std::string_view value);

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace lanewise::audit
