// Network identifiers: e-mail addresses, IPv4/IPv6 addresses, MAC addresses, URLs.
// Validators take the candidate as written; the IPv6 parser works on positions in a
// larger text because an address's end is only known by parsing it.
#pragma once

#include <cstddef>
#include <string_view>

namespace lanewise::inspect {

// local@domain: dot-atom local part (no leading/trailing/double dots), domain of at
// least two labels of letters, digits and inner hyphens, TLD alphabetic or "xn--".
bool EmailValid(std::string_view candidate);

// Dotted quad, each octet 0-255 without leading zeros beyond "0".
bool Ipv4Valid(std::string_view candidate);

// Length of the longest valid IPv6 address (RFC 4291 text forms: full, "::"
// compressed, embedded IPv4 tail) starting at text[start]; 0 when there is none.
std::size_t Ipv6Length(std::string_view text, std::size_t start);

// Six hex pairs separated consistently by ':' or '-', or three dot-separated groups of
// four hex digits (Cisco). All-zero and broadcast (all FF) addresses are rejected.
bool MacValid(std::string_view candidate);

// Trims trailing punctuation that ends a sentence rather than a URL; returns the
// URL's length within `candidate`.
std::size_t UrlLength(std::string_view candidate);

}  // namespace lanewise::inspect
