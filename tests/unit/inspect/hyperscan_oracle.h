// The candidates Hyperscan itself reports for some built-in rules' expressions, as the
// built-in database compiled them before they moved to C++ (start of match tracked,
// except for anchor rules): the reference the C++ finders are compared with.
#pragma once

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "inspect/rules/pattern_database.h"
#include "inspect/rules/pattern_rules.h"

namespace lanewise::inspect {

using Candidate = std::tuple<unsigned int, std::uint32_t, std::uint32_t>;

class HyperscanOracle {
 public:
  // The rules for which `covers` is true.
  explicit HyperscanOracle(bool (*covers)(Rule)) {
    const auto rules = BuiltinRules();
    std::vector<const char*> expressions;
    std::vector<unsigned int> flags;
    std::vector<unsigned int> ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (!covers(rules[i].rule)) continue;
      expressions.push_back(rules[i].expression);
      flags.push_back(rules[i].som ? (rules[i].flags | HS_FLAG_SOM_LEFTMOST) : rules[i].flags);
      ids.push_back(static_cast<unsigned int>(i));
    }
    hs_compile_error_t* error = nullptr;
    EXPECT_EQ(hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                               static_cast<unsigned int>(expressions.size()), HS_MODE_BLOCK,
                               nullptr, &db_, &error),
              HS_SUCCESS);
    EXPECT_EQ(hs_alloc_scratch(db_, &scratch_), HS_SUCCESS);
  }
  ~HyperscanOracle() {
    hs_free_scratch(scratch_);
    hs_free_database(db_);
  }
  HyperscanOracle(const HyperscanOracle&) = delete;
  HyperscanOracle& operator=(const HyperscanOracle&) = delete;

  std::set<Candidate> Scan(const std::string& text) const {
    std::set<Candidate> out;
    hs_scan(
        db_, text.data(), static_cast<unsigned int>(text.size()), 0, scratch_,
        [](unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
           void* context) {
          const auto rules = BuiltinRules();
          if (!rules[id].som) from = to;  // anchor rules: the end only
          static_cast<std::set<Candidate>*>(context)->insert(
              {id, static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)});
          return 0;
        },
        &out);
    return out;
  }

 private:
  hs_database_t* db_ = nullptr;
  hs_scratch_t* scratch_ = nullptr;
};

// The random choices the generated texts are made of.
class Dice {
 public:
  explicit Dice(unsigned int seed) : random_(seed) {}
  // An integer in [lo, hi].
  int Between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random_); }
  // An index below n.
  std::size_t Below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }
  char Pick(const std::string& pool) { return pool[Below(pool.size())]; }
  bool Chance(int percent) { return Between(0, 99) < percent; }

 private:
  std::mt19937 random_;
};

// The candidates a C++ finder appends, as a set; a candidate reported twice fails.
template <typename Finder>
std::set<Candidate> FoundBy(Finder find, const std::string& text) {
  std::vector<RawMatch> matches;
  find(text, matches);
  std::set<Candidate> out;
  for (const RawMatch& m : matches) {
    EXPECT_TRUE(out.insert({m.id, m.from, m.to}).second) << "duplicate candidate in: " << text;
  }
  return out;
}

// Whether `find` reports exactly the oracle's candidates in `text`; counts in
// `with_candidates` the texts where there are some (so that a test can check its random
// texts exercise the expressions).
template <typename Finder>
::testing::AssertionResult AgreesWithOracle(const HyperscanOracle& oracle, Finder find,
                                            const std::string& text, int& with_candidates) {
  const std::set<Candidate> expected = oracle.Scan(text);
  with_candidates += expected.empty() ? 0 : 1;
  const std::set<Candidate> found = FoundBy(find, text);
  if (found == expected) return ::testing::AssertionSuccess();
  auto describe = [](const std::set<Candidate>& candidates) {
    std::string out;
    for (const auto& [id, from, to] : candidates) {
      out +=
          " (" + std::to_string(id) + ", " + std::to_string(from) + ", " + std::to_string(to) + ")";
    }
    return out.empty() ? std::string(" none") : out;
  };
  return ::testing::AssertionFailure()
         << "text: \"" << text << "\"\n  C++:      " << describe(found)
         << "\n  Hyperscan:" << describe(expected);
}

}  // namespace lanewise::inspect
