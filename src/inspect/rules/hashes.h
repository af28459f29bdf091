// The two hash functions that wallet-address checksums need: SHA-256 (FIPS 180-4; for
// Bitcoin Base58Check) and Keccak-256 (the original Keccak padding used by Ethereum's
// EIP-55, not NIST SHA3-256). Small and unoptimised: inputs are a few dozen bytes.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace lanewise::inspect {

using Digest256 = std::array<std::uint8_t, 32>;

Digest256 Sha256(std::string_view data);
Digest256 Keccak256(std::string_view data);

}  // namespace lanewise::inspect
