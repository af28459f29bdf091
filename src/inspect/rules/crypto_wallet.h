// Cryptocurrency wallet addresses with their built-in checksums.
#pragma once

#include <string_view>

namespace lanewise::inspect {

// Bitcoin legacy (P2PKH "1...", P2SH "3...", testnet "m/n/2..."): Base58Check with a
// 25-byte payload whose last 4 bytes are the double-SHA-256 checksum.
bool Base58CheckAddressValid(std::string_view address);

// Bitcoin SegWit (BIP-173 bech32 for witness v0, BIP-350 bech32m for v1+), hrp "bc" or
// "tb", one case only, program length 2..40 bytes (20 or 32 for v0).
bool Bech32AddressValid(std::string_view address);

// Ethereum "0x" + 40 hex digits. All-lower or all-upper hex carries no checksum and is
// accepted as is; mixed case must match EIP-55 (Keccak-256 of the lower-case hex).
// `checksummed` (optional) tells whether an EIP-55 checksum was verified.
bool EthereumAddressValid(std::string_view address, bool* checksummed = nullptr);

}  // namespace lanewise::inspect
