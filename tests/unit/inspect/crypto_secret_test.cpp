// Hash functions, wallet checksums and secret heuristics.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

#include "inspect/rules/crypto_wallet.h"
#include "inspect/rules/hashes.h"
#include "inspect/rules/secret_detector.h"

namespace lanewise::inspect {
namespace {

std::string Hex(const Digest256& d) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (auto b : d) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

TEST(HashesTest, KnownAnswers) {
  // FIPS 180-4 example and the Keccak-256 of the empty string (as used by Ethereum).
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Keccak256("")), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(Hex(Sha256(std::string(1000, 'a'))).size(), 64u);  // multi-block path
}

TEST(CryptoWalletTest, Bitcoin) {
  // Addresses from Presidio's crypto recognizer tests (MIT) and BIP-13.
  EXPECT_TRUE(Base58CheckAddressValid("16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ"));
  EXPECT_TRUE(Base58CheckAddressValid("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
  EXPECT_FALSE(Base58CheckAddressValid("16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyY"));
  EXPECT_FALSE(Base58CheckAddressValid("16Yeky6GMjeNkAiNcBY7ZhrLoMSgg1BoyZ2"));
  EXPECT_TRUE(Bech32AddressValid("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
  EXPECT_TRUE(Bech32AddressValid("BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ"));
  EXPECT_TRUE(Bech32AddressValid("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"));
  EXPECT_FALSE(Bech32AddressValid("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp"));  // checksum
  EXPECT_FALSE(Bech32AddressValid("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzWf5mdq"));  // mixed case
}

TEST(CryptoWalletTest, EthereumEip55) {
  // Test vectors from EIP-55.
  bool checksummed = false;
  for (const char* a :
       {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
    EXPECT_TRUE(EthereumAddressValid(a, &checksummed)) << a;
    EXPECT_TRUE(checksummed);
  }
  EXPECT_FALSE(EthereumAddressValid("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
  EXPECT_TRUE(EthereumAddressValid("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", &checksummed));
  EXPECT_FALSE(checksummed);
}

TEST(SecretDetectorTest, EntropyAndJwt) {
  EXPECT_DOUBLE_EQ(ShannonEntropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abcd"), 2.0);
  EXPECT_TRUE(
      JwtValid("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
               "dBjftJeZ4CVPmB92K27uhbUJU1p1r"
               "_wW1gFWFOEjXk"));
  // A header without "alg" is not a JWT.
  EXPECT_FALSE(JwtValid("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefgh"));
  EXPECT_FALSE(JwtValid("eyJub3Rqc29u.eyJzdWIiOiIxIn0.abcdefgh"));
}

TEST(SecretDetectorTest, AssignedSecrets) {
  std::string text = "password = \"Tr0ub4dor&3x\"";
  auto value = AssignedSecret(text, 0, text.size());
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(text.substr(value->first, value->second - value->first), "Tr0ub4dor&3x");
  text = "api_key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ";
  value = AssignedSecret(text, 0, text.size());
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(text.substr(value->first), "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ");
  for (const char* placeholder :
       {"password: ********", "token = ${GITHUB_TOKEN}", "api_key: your_api_key_here",
        "secret: <redacted>", "token: aaaaaaaaaaaaaaaa", "token: yourTokenHere",
        "password: CHANGEME", "api_key: sk-xxxxxxxxxxxxxxxx", "token: insert-token-here",
        "token: xoxb-XXXX-XXXX-XXXX", "api_key: sk-proj-****-abcd"}) {
    const std::string t = placeholder;
    EXPECT_FALSE(AssignedSecret(t, 0, t.size()).has_value()) << t;
  }
  // Placeholder words inside a random run are letters of a real value, not placeholders.
  // So are four x inside one (found by a 100,000-case leak run, seed 43: a Slack token
  // "...WC80bmxxXXbxd9..." in a stop sequence went out).
  for (const char* real :
       {"token: OKxoLN7xBNB8M1xGy1xHEREZ", "password: 7truEq9nullxZ2", "api_key: k3Y9dummy2AbQ7xWm",
        "token: xoxb-571579904512-8170224457282-WC80bmxxXXbxd9mqAox24r1I"}) {
    const std::string t = real;
    EXPECT_TRUE(AssignedSecret(t, 0, t.size()).has_value()) << t;
  }
}

// The value runs to the end of its field: quotes inside an unquoted value, commas inside a
// quoted one and escaped quotes belong to it; a closing quote or a sentence's dot does not.
TEST(SecretDetectorTest, AssignedSecretValueBoundaries) {
  const std::pair<std::string, std::string> cases[] = {
      {"password: 9G0no\"65\"JT2m", "9G0no\"65\"JT2m"},
      {"password: \"9G0no\"65\"JT2m\", user bob", "9G0no\"65\"JT2m"},
      {"{\"password\":\"s3cr3t,pass\",\"user\":\"bob\"}", "s3cr3t,pass"},
      {"{\"password\": \"ab\\\"cd1234\"}", "ab\\\"cd1234"},
      {"my password is hunter2x.", "hunter2x"},
      {"<input value=\"pwd=abc123xy\">", "abc123xy"},
      {"password: abcde\\12/wxyz and more", "abcde\\12/wxyz"},
      {"{\"note\":\"password: 9G0no\\\"65\\\"JT2m\"}", "9G0no\\\"65\\\"JT2m"},
      {"password = 'Tr0ub4dor&3x';", "Tr0ub4dor&3x"},
  };
  for (const auto& [text, expected] : cases) {
    // The candidate starts at the key word, as the rule's match does.
    const std::size_t key = std::min(text.find("password"), text.find("pwd"));
    const auto value = AssignedSecret(text, key, text.size());
    ASSERT_TRUE(value.has_value()) << text;
    EXPECT_EQ(text.substr(value->first, value->second - value->first), expected) << text;
  }
}

TEST(SecretDetectorTest, PemBlock) {
  const std::string text =
      "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nok";
  const std::size_t begin = text.find("-----BEGIN");
  EXPECT_EQ(PemBlockEnd(text, begin), text.size() - 3);
  EXPECT_EQ(PemBlockEnd("-----BEGIN PRIVATE KEY-----\nMIIE", 0), 32u);  // cut off
}

}  // namespace
}  // namespace lanewise::inspect
