#pragma once
// UTF-8 validation, one sequence at a time (the log writer and the audit payloads keep their
// JSON valid whatever bytes a client or a config file holds).
#include <cstddef>
#include <string_view>

namespace lanewise::core {

// Length of the valid UTF-8 sequence at the start of `s` (1 for ASCII), or 0: overlong
// forms, surrogates, code points past U+10FFFF and cut sequences are invalid.
std::size_t ValidUtf8SequenceLength(std::string_view s);

}  // namespace lanewise::core
