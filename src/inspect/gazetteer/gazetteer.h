// Gazetteer: the word lists behind PERSON, STREET_ADDRESS and LOCATION, loaded once
// into one hash table keyed by the lower-cased word or phrase (phrases: words joined by
// single spaces, punctuation other than apostrophes and hyphens dropped). The table is
// flat (open addressing, entries stored in the slots with their key's 64-bit hash; the
// keys themselves are not kept): a lookup touches one slot of 16 bytes.
//
// Files (data/gazetteers, see SOURCE.txt there): given_names.tsv, surnames.tsv,
// ambiguous_words.tsv, person_titles.tsv, cities.tsv, cities_alt.tsv, countries.txt,
// admin1.tsv, subdivisions_iso3166_2.tsv, street_suffixes.txt, street_types_intl.tsv,
// street_units.txt. Immutable after Load; shared between Inspectors built from the same
// directory (LoadShared).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "inspect/text/tokenizer.h"

namespace lanewise::inspect {

enum LexiconFlag : std::uint16_t {
  kGivenName = 1 << 0,
  kSurname = 1 << 1,
  kCity = 1 << 2,
  kCountry = 1 << 3,
  kRegion = 1 << 4,       // first-level subdivisions (states, provinces, regions)
  kStreetType = 1 << 5,   // street, st, rue, calle, via, ulica ...
  kUnitWord = 1 << 6,     // apt, suite, unit, floor ...
  kPersonTitle = 1 << 7,  // mr, mrs, dr, herr, señor ...
  kAmbiguous = 1 << 8,    // also a common English word (will, may, mark, reading)
  kPhraseHead = 1 << 9,   // first word of a multi-word entry ("united" of "united states")
};
// Flags that make an entry a known word (kPhraseHead alone does not).
constexpr std::uint16_t kKnownWordFlags = 0x1FF;

// Eight bytes, so that a slot of the table is sixteen (the table is most of the memory an
// idle gateway with a policy holds). The counts are kept to the precision the rules ask
// for: they saturate, and the rules compare them with thresholds below the saturation.
struct LexiconEntry {
  static constexpr std::uint32_t kCountCap = 0xFFFF;
  std::uint16_t given_count =
      0;  // US births with this given name, at most kCountCap (0: list only)
  std::uint16_t population_tens = 0;  // largest city with this name, in tens, at most kCountCap
  std::uint16_t flags = 0;
  std::uint8_t phrase_words = 1;  // for a phrase head: words in its longest phrase
  // The largest city's population, to within ten, up to 655,350.
  std::uint32_t population() const { return std::uint32_t{population_tens} * 10; }
  void RaiseGivenCount(std::uint32_t count) {
    given_count = static_cast<std::uint16_t>(
        std::max<std::uint32_t>(given_count, std::min(count, kCountCap)));
  }
  void RaisePopulation(std::uint32_t population) {
    population_tens = static_cast<std::uint16_t>(
        std::max<std::uint32_t>(population_tens, std::min(population / 10, kCountCap)));
  }
};
static_assert(sizeof(LexiconEntry) == 8);

class Gazetteer {
 public:
  static core::Result<std::shared_ptr<const Gazetteer>> Load(const std::string& dir);
  // As Load, but returns the instance already loaded from `dir` while one is alive.
  static core::Result<std::shared_ptr<const Gazetteer>> LoadShared(const std::string& dir);

  // `key` must be lower-case (see LowerUtf8) with single spaces between words.
  const LexiconEntry* Find(std::string_view key) const { return Find(key, HashKey(key)); }
  // As Find, with the key's HashKey already known (a token's word_hash).
  const LexiconEntry* Find(std::string_view key, std::uint64_t hash) const;
  // A superset of the flags of the entry whose key has this HashKey (usually 0 when
  // there is none): one read from a 64 KB summary, so that a rule can skip the lookup of
  // a word that cannot have the flag it needs (street types, units and titles are rare).
  std::uint16_t PossibleFlags(std::uint64_t hash) const {
    return flag_summary_[(hash >> kSummaryShift) & (kSummarySize - 1)];
  }
  // False when no given name that is no common word (flag kGivenName without kAmbiguous)
  // has this HashKey: two bits of a 128 KB filter (~2% of other words pass). Names
  // written in one case are looked for only at such words, not at every lower-case word.
  bool MayBePlainGivenName(std::uint64_t hash) const {
    const auto bit = [&](int shift) {
      const std::size_t b = (hash >> shift) & (kGivenNameBits - 1);
      return (given_names_[b / 64] >> (b % 64)) & 1;
    };
    return bit(kGivenNameShiftA) && bit(kGivenNameShiftB);
  }
  // False when no given name that is also a common word (flags kGivenName and kAmbiguous:
  // "christian", "rose", "will") has this HashKey: two bits of an 8 KB filter. Such a name
  // is a name before a plain surname written in the same case ("christian gaona").
  bool MayBeAmbiguousGivenName(std::uint64_t hash) const {
    const auto bit = [&](int shift) {
      const std::size_t b = (hash >> shift) & (kAmbiguousGivenBits - 1);
      return (ambiguous_given_[b / 64] >> (b % 64)) & 1;
    };
    return bit(kGivenNameShiftA) && bit(kGivenNameShiftB);
  }
  // False when no phrase of several words has a second word with this HashKey: most
  // capitalised pairs of words are no phrase, and this says so before a key is built.
  bool MaySecondWord(std::uint64_t hash) const {
    const std::size_t bit = (hash >> kSummaryShift) & (kSecondWordBits - 1);
    return (second_words_[bit / 64] >> (bit % 64)) & 1;
  }
  // False when no phrase of several words starts with the two words (or word and
  // number) with these HashKeys: sharper than MaySecondWord, as most pairs of common
  // words ("can you", "hi my") each occur in some phrase but not together.
  bool MayStartPhrase(std::uint64_t first, std::uint64_t second) const {
    const std::size_t bit = PairBit(first, second);
    return (phrase_starts_[bit / 64] >> (bit % 64)) & 1;
  }
  // Longest phrase length in words among the entries (for n-gram lookups).
  int max_phrase_words() const { return max_phrase_words_; }
  // Longest phrase (in words, at most 6) that may start with the word at `key`.
  int PhraseWordsFrom(std::string_view key) const;
  // A glued street suffix ("straße", "vej", "katu") that `lower_word` ends with, or empty.
  std::string_view GluedStreetSuffix(std::string_view lower_word) const;
  // Every glued suffix has at least three bytes and leaves at least three before it.
  static constexpr std::size_t kMinGluedWordBytes = 6;
  std::size_t size() const { return size_; }

 private:
  // A key is not stored: its slot holds the key's 64-bit HashKey (0 is written as 1, and
  // 0 marks an empty slot), and a lookup matches that. Two different words share all 64
  // bits with a probability of about 1e-14 per lookup; keys of the lists that do are
  // merged at load time (their flags joined). Without the keys, the table is half the
  // memory and a lookup reads one slot, not a slot and a key.
  struct Slot {
    std::uint64_t hash = 0;  // 0: empty
    LexiconEntry entry;
  };
  static constexpr std::uint64_t StoredHash(std::uint64_t h) { return h == 0 ? 1 : h; }
  static_assert(sizeof(Slot) == 16);
  // Finds the entry of `key` (lower-case, single spaces) or inserts an empty one: the
  // table is built in place while the files are read (no second copy at load time).
  LexiconEntry& Upsert(std::string_view phrase);
  LexiconEntry& FindOrInsert(std::string_view key);
  void Rehash(std::size_t capacity);
  void IndexGluedSuffixes();
  void SummariseFlags();

  std::vector<Slot> slots_;  // power-of-two size, at most 3/4 full
  std::size_t mask_ = 0;
  std::size_t size_ = 0;

  // Flags of all keys, OR-ed by bits of their hash above those that index slots_.
  static constexpr std::size_t kSummarySize = std::size_t{1} << 15;
  static constexpr int kSummaryShift = 24;
  std::vector<std::uint16_t> flag_summary_ = std::vector<std::uint16_t>(kSummarySize, 0);
  // Plain given names (see MayBePlainGivenName), two bits each.
  static constexpr std::size_t kGivenNameBits = std::size_t{1} << 20;
  static constexpr int kGivenNameShiftA = 4;
  static constexpr int kGivenNameShiftB = 40;
  std::vector<std::uint64_t> given_names_ = std::vector<std::uint64_t>(kGivenNameBits / 64, 0);
  // Given names that are also common words, two bits each (see MayBeAmbiguousGivenName).
  static constexpr std::size_t kAmbiguousGivenBits = std::size_t{1} << 16;
  std::vector<std::uint64_t> ambiguous_given_ =
      std::vector<std::uint64_t>(kAmbiguousGivenBits / 64, 0);
  // One bit per second word of the phrases (by HashKey, as flag_summary_).
  static constexpr std::size_t kSecondWordBits = std::size_t{1} << 16;
  std::vector<std::uint64_t> second_words_ = std::vector<std::uint64_t>(kSecondWordBits / 64, 0);
  // One bit per pair of first and second words of the phrases (~24k pairs: a few per cent
  // of the bits set).
  static constexpr int kPhraseStartBitsLog2 = 19;
  static std::size_t PairBit(std::uint64_t first, std::uint64_t second) {
    return static_cast<std::size_t>(((first ^ std::rotl(second, 23)) * key_hash::kMultiplier) >>
                                    (64 - kPhraseStartBitsLog2));
  }
  std::vector<std::uint64_t> phrase_starts_ =
      std::vector<std::uint64_t>((std::size_t{1} << kPhraseStartBitsLog2) / 64, 0);

  std::vector<std::string> glued_suffixes_;  // longest first
  // The glued suffixes by their last three bytes (every suffix has at least three), so
  // that most words are rejected by one probe: an open-addressing table of tails, each
  // with its suffixes (indices into glued_suffixes_, longest first) in by_tail_.
  struct TailSlot {
    std::uint32_t tail = 0;  // 0: empty (a tail has no zero byte)
    std::uint16_t begin = 0;
    std::uint16_t end = 0;
  };
  std::vector<TailSlot> tail_slots_;  // power-of-two size
  std::vector<std::uint16_t> by_tail_;
  int max_phrase_words_ = 1;
};

// The lookup key of a phrase: lower-case, punctuation except ' and - turned into
// spaces, runs of spaces collapsed, trimmed.
std::string PhraseKey(std::string_view phrase);

}  // namespace lanewise::inspect
