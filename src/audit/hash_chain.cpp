#include "audit/hash_chain.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace lanewise::audit {
namespace {

// Every field is length-prefixed, so no two different links hash the same bytes.
std::string Canonical(const ChainLink& link) {
  std::string out;
  out.reserve(link.payload.size() + link.decision_id.size() + 160);
  auto field = [&out](std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += ';';
  };
  field(link.prev_hash);
  field(std::to_string(link.seq));
  field(link.kind);
  field(link.decision_id);
  field(std::to_string(link.at_ms));
  field(link.payload);
  return out;
}

std::string Hex(const unsigned char* bytes, unsigned int size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string ChainHash(const ChainLink& link, std::string_view key) {
  const std::string text = Canonical(link);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  if (key.empty()) {
    EVP_Digest(data, text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  } else {
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data, text.size(), digest.data(),
         &size);
  }
  return Hex(digest.data(), size);
}

std::vector<StoredEvent> ChainEvents(std::int64_t head_seq, const std::string& head_hash,
                                     const std::vector<const AuditEvent*>& events,
                                     std::string_view key) {
  std::vector<StoredEvent> rows;
  rows.reserve(events.size());
  const std::string* prev = &head_hash;
  for (const AuditEvent* event : events) {
    StoredEvent row;
    row.seq = head_seq + 1 + static_cast<std::int64_t>(rows.size());
    row.kind = std::string(EventKindName(event->kind));
    row.decision_id = event->decision_id;
    row.at_ms = event->at_ms;
    row.payload = event->payload;
    row.prev_hash = *prev;
    row.hash =
        ChainHash({row.prev_hash, row.seq, row.kind, row.decision_id, row.at_ms, row.payload}, key);
    rows.push_back(std::move(row));
    prev = &rows.back().hash;
  }
  return rows;
}

}  // namespace lanewise::audit
