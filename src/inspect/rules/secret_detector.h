// Secrets: credentials recognised by their issuer's prefix (matched by the pattern
// scan), JSON Web Tokens, PEM private key blocks, and high-entropy values assigned to
// a key such as "password", "secret", "token" or "api_key".
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace lanewise::inspect {

// Shannon entropy of the byte distribution, in bits per byte.
double ShannonEntropy(std::string_view value);

// header.payload.signature with base64url parts; the header decodes to a JSON object
// that has an "alg" member.
bool JwtValid(std::string_view token);

// The end (exclusive, in `text`) of the PEM private key block whose BEGIN line starts
// at `begin`: after the matching END line, or the end of the text if it is cut off.
std::size_t PemBlockEnd(std::string_view text, std::size_t begin);

// For a match "key<sep>" of a secret-bearing key (sep ":", "=" or "is"), the
// [start, end) of the value that follows within `text` when it looks like a real secret
// (not a placeholder, long and random enough), otherwise nullopt. `start`/`end` are the
// match.
std::optional<std::pair<std::size_t, std::size_t>> AssignedSecret(std::string_view text,
                                                                  std::size_t start,
                                                                  std::size_t end);

// A token with a known prefix: rejects runs of one repeated character and obvious
// placeholders ("xxxx", "your_key_here") in the part after the prefix.
bool PrefixedTokenPlausible(std::string_view token);

}  // namespace lanewise::inspect
