#include "tools/sim/text_gen.h"

#include <cmath>

#include <algorithm>
#include <array>
#include <random>

namespace lanewise::sim {
namespace {

constexpr std::array<std::string_view, 64> kWords{
    "alpha",   "river",   "stone",  "lantern", "harbor",  "meadow", "copper", "signal",
    "orchard", "quiet",   "summit", "velvet",  "window",  "amber",  "breeze", "canyon",
    "delta",   "ember",   "falcon", "garden",  "hollow",  "island", "jasper", "kettle",
    "lagoon",  "marble",  "needle", "olive",   "pepper",  "quartz", "ribbon", "saddle",
    "timber",  "umber",   "valley", "willow",  "yonder",  "zephyr", "anchor", "bramble",
    "cedar",   "dune",    "echo",   "fern",    "glacier", "heron",  "ivory",  "juniper",
    "kite",    "linen",   "maple",  "nectar",  "opal",    "pebble", "quill",  "raven",
    "sparrow", "thistle", "upland", "vessel",  "wren",    "yarrow", "zinnia", "basalt",
};

constexpr std::int64_t kVocabSize = 151936;  // the captured model's n_vocab

}  // namespace

std::uint64_t HashBytes(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t hash = seed;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::uint64_t SeededSequence::Next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string_view PickWord(std::uint64_t seed) {
  SeededSequence sequence(seed);
  return kWords[sequence.Next() % kWords.size()];
}

std::vector<std::string> WordTokens(std::uint64_t seed, int count) {
  SeededSequence sequence(seed);
  std::vector<std::string> tokens;
  tokens.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    std::string token = i == 0 ? "" : " ";
    token += kWords[sequence.Next() % kWords.size()];
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::vector<std::string> SplitIntoTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    if (lead >= 0xF0)
      length = 4;
    else if (lead >= 0xE0)
      length = 3;
    else if (lead >= 0xC0)
      length = 2;
    length = std::min(length, text.size() - i);
    current.append(text.substr(i, length));
    i += length;
    if (current.size() >= 4) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

TokenLogprob MakeLogprob(std::string_view token, int top_n, std::optional<double> chosen) {
  const std::uint64_t hash = HashBytes(token);
  TokenLogprob out;
  out.sampled.id = static_cast<std::int64_t>(hash % kVocabSize);
  out.sampled.token = std::string(token);
  out.sampled.logprob =
      chosen.has_value() ? *chosen : -static_cast<double>(hash % 4000 + 1) / 1000.0;
  if (top_n <= 0) return out;
  out.top.push_back(out.sampled);
  SeededSequence sequence(hash);
  double logprob = out.sampled.logprob;
  // An unlikely sampled token: the first alternative takes most of the remaining mass.
  const double sampled_p = std::exp(out.sampled.logprob);
  const bool leader = chosen.has_value() && sampled_p < 0.5;
  for (int i = 1; i < top_n; ++i) {
    TokenProb alternative;
    alternative.token = " ";
    alternative.token += kWords[sequence.Next() % kWords.size()];
    alternative.id = static_cast<std::int64_t>(HashBytes(alternative.token) % kVocabSize);
    if (leader && i == 1) {
      alternative.logprob = std::log((1.0 - sampled_p) * 0.8);
    } else {
      logprob -= static_cast<double>(sequence.Next() % 1000 + 1) / 1000.0;
      alternative.logprob = logprob;
    }
    out.top.push_back(std::move(alternative));
  }
  std::stable_sort(out.top.begin(), out.top.end(),
                   [](const TokenProb& a, const TokenProb& b) { return a.logprob > b.logprob; });
  return out;
}

std::string RandomAlnum(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::string out(length, 'x');
  for (auto& c : out) c = kAlphabet[engine() % kAlphabet.size()];
  return out;
}

}  // namespace lanewise::sim
