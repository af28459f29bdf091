// libFuzzer target: restoring placeholders in a streamed answer. The input is cut at NUL
// bytes into pieces; each piece is the content delta of one chunk (or, when it starts with
// '{', a raw chunk as a lane might send it). The vault holds two values, so pieces may
// carry real placeholders split anywhere. Every chunk forwarded must be JSON, and the
// text restored chunk by chunk must equal the whole text restored at once.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "redact/placeholder_vault.h"
#include "redact/restorer.h"
#include "redact/stream_restorer.h"

namespace {

namespace json = boost::json;

std::string ContentChunk(std::string_view text) {
  json::object delta;
  delta["content"] = text;
  json::object choice;
  choice["index"] = 0;
  choice["delta"] = std::move(delta);
  choice["finish_reason"] = nullptr;
  json::object chunk;
  chunk["id"] = "chatcmpl-fuzz";
  chunk["object"] = "chat.completion.chunk";
  chunk["choices"] = json::array{std::move(choice)};
  return json::serialize(chunk);
}

// The content text a forwarded chunk carries (empty when none).
std::string ContentOf(const std::string& chunk) {
  boost::system::error_code ec;
  json::value doc = json::parse(chunk, ec);
  if (ec) __builtin_trap();  // the restorer forwards JSON only (inputs here are JSON)
  const json::object* root = doc.if_object();
  if (root == nullptr) return {};
  const json::value* choices = root->if_contains("choices");
  if (choices == nullptr || !choices->is_array()) return {};
  std::string text;
  for (const auto& c : choices->get_array()) {
    const json::value* delta = c.is_object() ? c.get_object().if_contains("delta") : nullptr;
    const json::value* content = delta != nullptr && delta->is_object()
                                     ? delta->get_object().if_contains("content")
                                     : nullptr;
    if (content != nullptr && content->is_string()) text += content->get_string();
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto vault = std::make_shared<lanewise::redact::PlaceholderVault>("fuzz-key", "fuzz-scope");
  const std::string alice = vault->PlaceholderFor("PERSON", "Alice Example");
  const std::string card = vault->PlaceholderFor("CREDIT_CARD", "4111 1111 1111 1111");
  std::shared_ptr<const lanewise::redact::PlaceholderVault> shared = vault;
  lanewise::redact::StreamRestorer restorer(shared);

  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string sent_text;
  std::string restored_text;
  bool only_content = true;
  std::size_t start = 0;
  while (start <= bytes.size()) {
    std::size_t end = bytes.find('\0', start);
    if (end == std::string_view::npos) end = bytes.size();
    std::string piece(bytes.substr(start, end - start));
    // '\1' and '\2' stand for the two placeholders, so that they occur often.
    std::string expanded;
    for (char c : piece) {
      if (c == '\1') {
        expanded += alice;
      } else if (c == '\2') {
        expanded += card;
      } else {
        expanded += c;
      }
    }
    std::string chunk;
    if (!expanded.empty() && expanded[0] == '{') {
      boost::system::error_code ec;
      json::parse(expanded, ec);
      if (ec) {
        start = end + 1;
        continue;  // a lane's non-JSON event never reaches the restorer
      }
      chunk = expanded;
      only_content = false;
    } else {
      chunk = ContentChunk(expanded);
      boost::system::error_code ec;
      json::parse(chunk, ec);
      if (ec) {
        start = end + 1;
        continue;  // not UTF-8: a lane's chunk like this never parses
      }
      sent_text += expanded;
    }
    restored_text += ContentOf(restorer.OnChunk(std::move(chunk)));
    start = end + 1;
  }
  if (auto last = restorer.Finish()) restored_text += ContentOf(*last);
  if (only_content) {
    const std::string expected =
        lanewise::redact::RestoreText(sent_text, *shared, lanewise::redact::InsertAs::kText);
    if (restored_text != expected) __builtin_trap();
  }
  return 0;
}
