// The chain's hash is plain SHA-256 / HMAC-SHA-256 (RFC 2104) of the link's canonical
// bytes, so anyone can check a trail with a few lines of any language: compared here with
// OpenSSL's one-shot functions on the canonical text written out by hand.
#include "audit/hash_chain.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace lanewise::audit {
namespace {

std::string Hex(const unsigned char* bytes, unsigned int size) {
  std::string out;
  char two[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(two, sizeof two, "%02x", bytes[i]);
    out += two;
  }
  return out;
}

const std::string kPayload = R"({"decision_id":"dec_1","class":{"effective":"phi"}})";
const ChainLink kLink{kGenesisHash, 7, "open", "dec_1", 1796293133289, kPayload};
// length:value; for prev_hash, seq, kind, decision_id, at_ms, payload.
const std::string kCanonical = "64:" + std::string(kGenesisHash) +
                               ";1:7;4:open;5:dec_1;13:1796293133289;" +
                               std::to_string(kPayload.size()) + ":" + kPayload + ";";

TEST(HashChainTest, UnkeyedIsSha256OfTheCanonicalLink) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(kCanonical.data(), kCanonical.size(), digest, &size, EVP_sha256(), nullptr);
  EXPECT_EQ(ChainHash(kLink, ""), Hex(digest, size));
}

TEST(HashChainTest, KeyedIsHmacSha256ForShortAndLongKeys) {
  for (const std::string& key : {std::string("k"), std::string(64, 'x'), std::string(100, 'y')}) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(kCanonical.data()), kCanonical.size(), digest,
         &size);
    EXPECT_EQ(ChainHash(kLink, key), Hex(digest, size)) << key.size();
  }
}

TEST(HashChainTest, EveryFieldCounts) {
  const std::string base = ChainHash(kLink, "");
  ChainLink other = kLink;
  other.at_ms += 1;
  EXPECT_NE(ChainHash(other, ""), base);
  other = kLink;
  other.kind = "close";
  EXPECT_NE(ChainHash(other, ""), base);
  other = kLink;
  other.seq = 8;
  EXPECT_NE(ChainHash(other, ""), base);
}

}  // namespace
}  // namespace lanewise::audit
