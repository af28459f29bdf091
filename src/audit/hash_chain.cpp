#include "audit/hash_chain.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace lanewise::audit {
namespace {

// SHA-256 with the digest fetched once and one context per thread: OpenSSL 3's one-shot
// calls (EVP_Digest, HMAC) fetch the algorithm and build a context on every call, which
// cost the writer more than the hashing itself.
class Sha256 {
 public:
  static constexpr std::size_t kBlock = 64;
  static constexpr std::size_t kSize = 32;

  Sha256() : md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx_(EVP_MD_CTX_new()) {}
  ~Sha256() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Begin() { EVP_DigestInit_ex(ctx_, md_, nullptr); }
  void Add(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }
  std::array<unsigned char, kSize> End() {
    std::array<unsigned char, kSize> digest{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_, digest.data(), &size);
    return digest;
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

Sha256& ThreadSha256() {
  thread_local Sha256 sha;
  return sha;
}

// Every field is length-prefixed, so no two different links hash the same bytes. All
// but the payload's bytes are put together first: three digest updates per link, not
// eighteen (each update has its own overhead).
void AddCanonical(Sha256& sha, const ChainLink& link) {
  thread_local std::string prefix;
  prefix.clear();
  char number[24];
  const auto length = [&](std::size_t size) {
    prefix.append(number, std::to_chars(number, number + sizeof number, size).ptr);
    prefix += ':';
  };
  const auto field = [&](std::string_view value) {
    length(value.size());
    prefix.append(value);
    prefix += ';';
  };
  char seq[24];
  char at[24];
  field(link.prev_hash);
  field(std::string_view(seq, std::to_chars(seq, seq + sizeof seq, link.seq).ptr - seq));
  field(link.kind);
  field(link.decision_id);
  field(std::string_view(at, std::to_chars(at, at + sizeof at, link.at_ms).ptr - at));
  length(link.payload.size());
  sha.Add(prefix);
  sha.Add(link.payload);
  sha.Add(";");
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

std::string_view AsText(const std::array<unsigned char, Sha256::kSize>& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

}  // namespace

std::string ChainHash(const ChainLink& link, std::string_view key) {
  Sha256& sha = ThreadSha256();
  if (key.empty()) {
    sha.Begin();
    AddCanonical(sha, link);
    const auto digest = sha.End();
    return Hex(digest.data(), digest.size());
  }
  // HMAC-SHA-256 (RFC 2104): H((K ^ opad) || H((K ^ ipad) || text)).
  std::array<unsigned char, Sha256::kBlock> block{};
  if (key.size() > Sha256::kBlock) {
    sha.Begin();
    sha.Add(key);
    const auto hashed = sha.End();
    std::copy(hashed.begin(), hashed.end(), block.begin());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  std::array<unsigned char, Sha256::kBlock> pad{};
  for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x36;
  sha.Begin();
  sha.Add({reinterpret_cast<const char*>(pad.data()), pad.size()});
  AddCanonical(sha, link);
  const auto inner = sha.End();
  for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x5c;
  sha.Begin();
  sha.Add({reinterpret_cast<const char*>(pad.data()), pad.size()});
  sha.Add(AsText(inner));
  const auto digest = sha.End();
  return Hex(digest.data(), digest.size());
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
