#include "inspect/rules/crypto_wallet.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "inspect/rules/hashes.h"

namespace lanewise::inspect {
namespace {

constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::string_view kBech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

std::uint32_t Bech32Polymod(const std::vector<std::uint8_t>& values) {
  constexpr std::uint32_t kGenerator[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                           0x2a1462b3};
  std::uint32_t chk = 1;
  for (std::uint8_t v : values) {
    const std::uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) chk ^= kGenerator[i];
    }
  }
  return chk;
}

}  // namespace

bool Base58CheckAddressValid(std::string_view address) {
  if (address.size() < 26 || address.size() > 35) return false;
  // Big-endian base-256 accumulator.
  std::vector<std::uint8_t> bytes;
  for (char c : address) {
    const std::size_t digit = kBase58.find(c);
    if (digit == std::string_view::npos) return false;
    std::uint32_t carry = static_cast<std::uint32_t>(digit);
    for (std::size_t i = bytes.size(); i-- > 0;) {
      carry += 58u * bytes[i];
      bytes[i] = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.insert(bytes.begin(), static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  for (char c : address) {  // leading '1's are leading zero bytes
    if (c != '1') break;
    bytes.insert(bytes.begin(), 0);
  }
  if (bytes.size() != 25) return false;
  const std::uint8_t version = bytes[0];
  if (version != 0x00 && version != 0x05 && version != 0x6f && version != 0xc4) return false;
  const std::string payload(bytes.begin(), bytes.begin() + 21);
  const Digest256 once = Sha256(payload);
  const Digest256 twice =
      Sha256(std::string_view(reinterpret_cast<const char*>(once.data()), once.size()));
  for (std::size_t i = 0; i < 4; ++i) {
    if (twice[i] != bytes[21 + i]) return false;
  }
  return true;
}

bool Bech32AddressValid(std::string_view address) {
  if (address.size() < 14 || address.size() > 90) return false;
  bool lower = false;
  bool upper = false;
  std::string text;
  for (char c : address) {
    if (c >= 'a' && c <= 'z') lower = true;
    if (c >= 'A' && c <= 'Z') {
      upper = true;
      c = static_cast<char>(c - 'A' + 'a');
    }
    text.push_back(c);
  }
  if (lower && upper) return false;
  const std::size_t separator = text.rfind('1');
  if (separator == std::string::npos || separator + 7 > text.size()) return false;
  const std::string hrp = text.substr(0, separator);
  if (hrp != "bc" && hrp != "tb") return false;
  std::vector<std::uint8_t> values;
  for (char c : hrp) values.push_back(static_cast<std::uint8_t>(c >> 5));
  values.push_back(0);
  for (char c : hrp) values.push_back(static_cast<std::uint8_t>(c & 31));
  std::vector<std::uint8_t> data;
  for (std::size_t i = separator + 1; i < text.size(); ++i) {
    const std::size_t v = kBech32.find(text[i]);
    if (v == std::string_view::npos) return false;
    data.push_back(static_cast<std::uint8_t>(v));
  }
  values.insert(values.end(), data.begin(), data.end());
  const std::uint32_t residue = Bech32Polymod(values);
  const std::uint8_t witness_version = data[0];
  if (witness_version > 16) return false;
  const std::uint32_t expected = witness_version == 0 ? 1u : 0x2bc830a3u;
  if (residue != expected) return false;
  // Program: 5-bit groups (without version and 6 checksum groups) to bytes.
  const std::size_t groups = data.size() - 7;
  const std::size_t program_bytes = groups * 5 / 8;
  if (groups * 5 % 8 >= 5) return false;  // more than 4 bits of padding
  if (program_bytes < 2 || program_bytes > 40) return false;
  if (witness_version == 0 && program_bytes != 20 && program_bytes != 32) return false;
  return true;
}

bool EthereumAddressValid(std::string_view address, bool* checksummed) {
  if (checksummed != nullptr) *checksummed = false;
  if (address.size() != 42 || address[0] != '0' || (address[1] != 'x' && address[1] != 'X')) {
    return false;
  }
  const std::string_view hex = address.substr(2);
  bool has_lower = false;
  bool has_upper = false;
  std::string lowered;
  for (char c : hex) {
    if (c >= '0' && c <= '9') {
      lowered.push_back(c);
    } else if (c >= 'a' && c <= 'f') {
      has_lower = true;
      lowered.push_back(c);
    } else if (c >= 'A' && c <= 'F') {
      has_upper = true;
      lowered.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      return false;
    }
  }
  if (!(has_lower && has_upper)) return true;
  const Digest256 hash = Keccak256(lowered);
  for (std::size_t i = 0; i < 40; ++i) {
    const char c = hex[i];
    if (c >= '0' && c <= '9') continue;
    const int nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
    const bool should_upper = nibble >= 8;
    const bool is_upper = c >= 'A' && c <= 'F';
    if (should_upper != is_upper) return false;
  }
  if (checksummed != nullptr) *checksummed = true;
  return true;
}

}  // namespace lanewise::inspect
