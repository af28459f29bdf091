// Byte masks: eight bytes of text examined at once in a 64-bit number (SWAR). Each mask
// has bit 7 of a byte set when that byte has the property. The scanners use them to skip
// the bytes that cannot start what they look for.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace lanewise::inspect::byte_masks {

static_assert(std::endian::native == std::endian::little, "the first byte is the lowest");

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kTops = 0x8080808080808080ULL;

// The eight bytes at text[at...] as a number, first byte lowest, zero past `limit`
// (at most text.size()).
inline std::uint64_t LoadEight(std::string_view text, std::size_t at, std::size_t limit) {
  const std::size_t available = std::min<std::size_t>(limit - at, 8);
  std::uint64_t bytes = 0;
  if (at + 8 <= text.size()) {
    std::memcpy(&bytes, text.data() + at, 8);
    if (available < 8) bytes &= (std::uint64_t{1} << (8 * available)) - 1;
  } else {
    for (std::size_t k = 0; k < available; ++k) {
      bytes |= std::uint64_t{static_cast<unsigned char>(text[at + k])} << (8 * k);
    }
  }
  return bytes;
}
inline std::uint64_t LoadEight(std::string_view text, std::size_t at) {
  return LoadEight(text, at, text.size());
}

// Bytes in [lo, hi], an ASCII range: no sum carries into the next byte, and bytes >= 0x80
// are never in range.
constexpr std::uint64_t BytesIn(std::uint64_t bytes, char lo, char hi) {
  const std::uint64_t low = bytes & ~kTops;
  return (low + kOnes * static_cast<std::uint64_t>(0x80 - lo)) &
         ~(low + kOnes * static_cast<std::uint64_t>(0x80 - hi - 1)) & ~bytes & kTops;
}

// Bytes equal to c (exact for every byte, no borrow between bytes).
constexpr std::uint64_t BytesEqual(std::uint64_t bytes, char c) {
  const std::uint64_t x = bytes ^ (kOnes * static_cast<unsigned char>(c));
  return ~(((x & ~kTops) + ~kTops) | x | ~kTops);
}

// The byte index (0..7) of a mask's lowest marked byte.
constexpr std::size_t FirstMarked(std::uint64_t mask) {
  return static_cast<std::size_t>(std::countr_zero(mask)) / 8;
}

}  // namespace lanewise::inspect::byte_masks
