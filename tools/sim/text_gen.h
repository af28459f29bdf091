// Deterministic text for the simulator: words picked from a fixed list by a hash of the
// request, text split into ~4-byte "tokens" on UTF-8 boundaries, and made-up but stable
// per-token log-probabilities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lanewise::sim {

std::uint64_t HashBytes(std::string_view bytes, std::uint64_t seed = 0xcbf29ce484222325ULL);

// A small deterministic pseudo-random sequence (splitmix64).
class SeededSequence {
 public:
  explicit SeededSequence(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next();

 private:
  std::uint64_t state_;
};

// `count` tokens: words from the fixed list, each after the first with a leading space.
std::vector<std::string> WordTokens(std::uint64_t seed, int count);
// One word from the list, chosen by `seed`.
std::string_view PickWord(std::uint64_t seed);

// Splits `text` into pieces of about 4 bytes, never inside a UTF-8 sequence.
std::vector<std::string> SplitIntoTokens(std::string_view text);

struct TokenProb {
  std::int64_t id = 0;
  std::string token;
  double logprob = 0;
};
struct TokenLogprob {
  TokenProb sampled;
  std::vector<TokenProb> top;  // `top_n` entries, highest first
};
// `chosen`: the sampled token's log-probability, as configured (sim.token_logprobs);
// absent: made up from the token's hash. A chosen value below log(0.5) gets an
// alternative that is more likely than the sampled token (the mass has to go somewhere).
TokenLogprob MakeLogprob(std::string_view token, int top_n,
                         std::optional<double> chosen = std::nullopt);

// Random [A-Za-z0-9] string (ids; not for cryptography).
std::string RandomAlnum(std::size_t length);

}  // namespace lanewise::sim
