#include "redact/placeholder_vault.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace lanewise::redact {
namespace {

constexpr std::size_t kTagHexDigits = 8;
constexpr std::size_t kHashHexDigits = 12;

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0f]);
  }
  return out;
}

}  // namespace

std::string CanonicalValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == '(' || c == ')') {
      continue;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

const std::string& ProcessRedactionKey() {
  static const std::string key = [] {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      throw std::runtime_error("cannot draw a random redaction key (RAND_bytes failed)");
    }
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }();
  return key;
}

PlaceholderVault::PlaceholderVault(std::string key, std::string scope)
    : key_(std::move(key)), scope_(std::move(scope)) {}

std::string PlaceholderVault::Digest(std::string_view domain, std::string_view type,
                                     std::string_view value) const {
  std::string message;
  message.reserve(domain.size() + type.size() + value.size() + 2);
  message.append(domain).push_back('\x1f');
  message.append(type).push_back('\x1f');
  message.append(value);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
       &digest_size);
  return Hex(digest, digest_size);
}

const std::string& PlaceholderVault::PlaceholderFor(std::string_view type, std::string_view value) {
  const std::string canonical = CanonicalValue(value);
  std::string index;
  index.reserve(type.size() + 1 + canonical.size());
  index.append(type).push_back('\x1f');
  index.append(canonical);
  if (auto it = placeholders_.find(index); it != placeholders_.end()) return it->second;

  // Another value of this request may own the first eight digits: take the next eight.
  const std::string digest = Digest(scope_, type, canonical);
  std::string placeholder;
  for (std::size_t offset = 0;; offset += kTagHexDigits) {
    std::string tag = offset + kTagHexDigits <= digest.size()
                          ? digest.substr(offset, kTagHexDigits)
                          : digest.substr(0, kTagHexDigits) + "x" + std::to_string(offset);
    // A tag of digits only reads like a number (a phone number to the next scan): skip it.
    const bool digits_only = tag.find_first_not_of("0123456789") == std::string::npos;
    placeholder = "[" + std::string(type) + "_" + tag + "]";
    if (!digits_only && values_.find(placeholder) == values_.end()) break;
  }
  values_.emplace(placeholder, std::string(value));
  max_size_ = std::max(max_size_, placeholder.size());
  return placeholders_.emplace(std::move(index), std::move(placeholder)).first->second;
}

std::string PlaceholderVault::HashLabel(std::string_view type, std::string_view value) const {
  return "[" + std::string(type) + "#" +
         Digest("hash", type, CanonicalValue(value)).substr(0, kHashHexDigits) + "]";
}

const std::string* PlaceholderVault::ValueOf(std::string_view placeholder) const {
  auto it = values_.find(placeholder);
  return it == values_.end() ? nullptr : &it->second;
}

std::size_t PlaceholderVault::PendingSuffix(std::string_view text) const {
  if (values_.empty()) return 0;
  const std::size_t window = std::min(text.size(), max_size_ - 1);
  // Longest first: the earliest '[' in the window whose rest starts a placeholder.
  for (std::size_t start = text.size() - window; start < text.size(); ++start) {
    if (text[start] != '[') continue;
    std::string_view suffix = text.substr(start);
    auto it = values_.lower_bound(suffix);
    if (it != values_.end() && it->first.size() > suffix.size() &&
        std::string_view(it->first).substr(0, suffix.size()) == suffix) {
      return suffix.size();
    }
  }
  return 0;
}

}  // namespace lanewise::redact
