// JsonText: writes a JSON document straight into a string, for the audit payloads built
// on the data path (two per request): no DOM, one growing buffer. Strings are escaped and
// any invalid UTF-8 byte becomes U+FFFD, so the text always parses. The caller keeps the
// structure balanced (Key only inside an object, End* matching Begin*).
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace lanewise::audit {

// A key that is not a literal: a string, a string_view, a const char*.
template <typename T>
concept DataKey = !std::is_array_v<T> && std::convertible_to<const T&, std::string_view>;

class JsonText {
 public:
  // A key spelled in the source: checked when compiling (one that would need escaping
  // does not compile) and copied as it is.
  class Name {
   public:
    template <std::size_t N>
    consteval Name(const char (&literal)[N])  // NOLINT(google-explicit-constructor)
        : text_(literal, N - 1) {
      for (const char c : text_) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\') {
          throw "a JsonText::Name is printable ASCII without quote or backslash";
        }
      }
    }
    std::string_view text() const { return text_; }

   private:
    std::string_view text_;
  };

  explicit JsonText(std::size_t reserve = 512) { out_.resize(reserve); }
  // Writes into `buffer` (its contents dropped), using all of its capacity.
  JsonText(std::string buffer, std::size_t reserve) : out_(std::move(buffer)) {
    out_.resize(std::max(reserve, out_.capacity()));
  }

  JsonText& BeginObject() { return Open('{'); }
  JsonText& EndObject() { return Close('}'); }
  JsonText& BeginArray() { return Open('['); }
  JsonText& EndArray() { return Close(']'); }
  JsonText& Key(Name key);  // a literal: Key("model")
  // Any other key (a string from the data or the config) is escaped like a string value.
  template <DataKey T>
  JsonText& Key(const T& key) {
    return EscapedKey(key);
  }
  JsonText& String(std::string_view value);
  JsonText& Int(std::int64_t value);
  JsonText& Double(double value);  // shortest round-trip form; NaN and infinities as null
  JsonText& Bool(bool value);

  std::string_view text() const { return {out_.data(), size_}; }
  std::string Take() {
    out_.resize(size_);
    size_ = 0;
    return std::move(out_);
  }

 private:
  JsonText& Open(char bracket);
  JsonText& Close(char bracket);
  JsonText& EscapedKey(std::string_view key);
  void Separate();
  void Escaped(std::string_view value);
  // Room for `n` more bytes; where they go.
  char* Room(std::size_t n) {
    if (size_ + n > out_.size()) [[unlikely]]
      Grow(n);
    return out_.data() + size_;
  }
  void Grow(std::size_t n);
  void Put(char c) {
    *Room(1) = c;
    ++size_;
  }
  void Put(std::string_view bytes);

  // Written into directly: out_'s size is the room, size_ the bytes written (a string's
  // own appends check and copy more than this needs).
  std::string out_;
  std::size_t size_ = 0;
  bool need_comma_ = false;
};

}  // namespace lanewise::audit
