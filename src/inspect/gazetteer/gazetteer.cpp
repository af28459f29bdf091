#include "inspect/gazetteer/gazetteer.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "inspect/text/text_utils.h"

namespace lanewise::inspect {
namespace {

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

// Calls on_line(columns) for each non-empty line of a TAB-separated file.
template <typename F>
core::Status ForEachLine(const std::string& dir, const char* file, F&& on_line) {
  const std::string path = dir + "/" + file;
  std::string content;
  if (!ReadFile(path, content)) {
    return core::InvalidArgument("cannot read gazetteer file " + path, "bad_gazetteer");
  }
  std::string_view rest = content;
  std::string_view columns[4];
  while (!rest.empty()) {
    const std::size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    int n = 0;
    while (n < 4) {
      const std::size_t tab = line.find('\t');
      columns[n++] = line.substr(0, tab);
      if (tab == std::string_view::npos) break;
      line = line.substr(tab + 1);
    }
    for (int k = n; k < 4; ++k) columns[k] = {};
    on_line(columns);
  }
  return core::Status::Ok();
}

std::uint32_t ParseCount(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > 0xFFFFFFFFu) return 0xFFFFFFFFu;
  }
  return static_cast<std::uint32_t>(v);
}

bool IsKeepPunct(char c) {
  return c == '\'' || c == '-';
}

}  // namespace

std::string PhraseKey(std::string_view phrase) {
  std::string lowered = LowerUtf8(phrase);
  std::string key;
  key.reserve(lowered.size());
  bool pending_space = false;
  for (char c : lowered) {
    const auto u = static_cast<unsigned char>(c);
    const bool word =
        u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || IsKeepPunct(c);
    if (!word) {
      pending_space = !key.empty();
      continue;
    }
    if (pending_space) key.push_back(' ');
    pending_space = false;
    key.push_back(c);
  }
  return key;
}

LexiconEntry& Gazetteer::Upsert(std::string_view phrase) {
  const std::string key = PhraseKey(phrase);
  const int words = 1 + static_cast<int>(std::count(key.begin(), key.end(), ' '));
  max_phrase_words_ = std::max(max_phrase_words_, std::min(words, 6));
  if (words > 1) {
    const std::size_t space = key.find(' ');
    LexiconEntry& head = FindOrInsert(std::string_view(key).substr(0, space));
    head.flags |= kPhraseHead;
    head.phrase_words =
        static_cast<std::uint8_t>(std::max<int>(head.phrase_words, std::min(words, 6)));
    const std::size_t second_end = key.find(' ', space + 1);
    const std::uint64_t second =
        HashKey(std::string_view(key).substr(space + 1, second_end - space - 1));
    const std::size_t bit = (second >> kSummaryShift) & (kSecondWordBits - 1);
    second_words_[bit / 64] |= std::uint64_t{1} << (bit % 64);
    const std::size_t pair = PairBit(HashKey(std::string_view(key).substr(0, space)), second);
    phrase_starts_[pair / 64] |= std::uint64_t{1} << (pair % 64);
  }
  return FindOrInsert(key);
}

LexiconEntry& Gazetteer::FindOrInsert(std::string_view key) {
  static LexiconEntry ignored;  // for keys the table cannot hold (empty or > 64 KB)
  if (key.empty() || key.size() > 0xFFFF) return ignored = LexiconEntry{};
  if ((size_ + 1) * 4 > slots_.size() * 3) Rehash(std::max<std::size_t>(slots_.size() * 2, 16));
  const std::uint64_t h = StoredHash(HashKey(key));
  std::size_t i = static_cast<std::size_t>(h) & mask_;
  for (;; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.hash == 0) break;
    if (slot.hash == h) return slot.entry;
  }
  Slot& slot = slots_[i];
  slot.hash = h;
  ++size_;
  return slot.entry;
}

void Gazetteer::Rehash(std::size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  for (const Slot& s : old) {
    if (s.hash == 0) continue;
    std::size_t i = static_cast<std::size_t>(s.hash) & mask_;
    while (slots_[i].hash != 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

const LexiconEntry* Gazetteer::Find(std::string_view key, std::uint64_t h) const {
  if (key.empty() || slots_.empty()) return nullptr;
  h = StoredHash(h);
  for (std::size_t i = static_cast<std::size_t>(h) & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.hash == h) return &slot.entry;
    if (slot.hash == 0) return nullptr;
  }
}

int Gazetteer::PhraseWordsFrom(std::string_view key) const {
  const LexiconEntry* e = Find(key);
  return e != nullptr && (e->flags & kPhraseHead) ? e->phrase_words : 1;
}

void Gazetteer::SummariseFlags() {
  std::fill(flag_summary_.begin(), flag_summary_.end(), 0);
  std::fill(given_names_.begin(), given_names_.end(), 0);
  std::fill(ambiguous_given_.begin(), ambiguous_given_.end(), 0);
  for (const Slot& s : slots_) {
    if (s.hash == 0) continue;
    const std::uint64_t h = s.hash;
    flag_summary_[(h >> kSummaryShift) & (kSummarySize - 1)] |= s.entry.flags;
    if ((s.entry.flags & kGivenName) && !(s.entry.flags & kAmbiguous)) {
      for (const int shift : {kGivenNameShiftA, kGivenNameShiftB}) {
        const std::size_t b = (h >> shift) & (kGivenNameBits - 1);
        given_names_[b / 64] |= std::uint64_t{1} << (b % 64);
      }
    }
    if ((s.entry.flags & kGivenName) && (s.entry.flags & kAmbiguous)) {
      for (const int shift : {kGivenNameShiftA, kGivenNameShiftB}) {
        const std::size_t b = (h >> shift) & (kAmbiguousGivenBits - 1);
        ambiguous_given_[b / 64] |= std::uint64_t{1} << (b % 64);
      }
    }
  }
}

namespace {

// The last three bytes of a word or suffix of at least three bytes, packed.
std::uint32_t TailOf(std::string_view s) {
  const auto byte = [&](std::size_t back) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[s.size() - back]));
  };
  return byte(3) << 16 | byte(2) << 8 | byte(1);
}

std::size_t TailSlotOf(std::uint32_t tail, std::size_t mask) {
  return static_cast<std::size_t>((tail * 0x9E3779B1U) >> 16) & mask;
}

}  // namespace

void Gazetteer::IndexGluedSuffixes() {
  std::size_t size = 16;
  while (size < glued_suffixes_.size() * 4) size *= 2;
  tail_slots_.assign(size, TailSlot{});
  // Group the suffix indices by tail, keeping the longest-first order within a tail.
  std::vector<std::pair<std::uint32_t, std::uint16_t>> by_tail;
  for (std::size_t i = 0; i < glued_suffixes_.size(); ++i) {
    by_tail.emplace_back(TailOf(glued_suffixes_[i]), static_cast<std::uint16_t>(i));
  }
  std::stable_sort(by_tail.begin(), by_tail.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  by_tail_.clear();
  for (std::size_t i = 0; i < by_tail.size();) {
    const std::uint32_t tail = by_tail[i].first;
    std::size_t slot = TailSlotOf(tail, size - 1);
    while (tail_slots_[slot].tail != 0) slot = (slot + 1) & (size - 1);
    tail_slots_[slot].tail = tail;
    tail_slots_[slot].begin = static_cast<std::uint16_t>(by_tail_.size());
    for (; i < by_tail.size() && by_tail[i].first == tail; ++i)
      by_tail_.push_back(by_tail[i].second);
    tail_slots_[slot].end = static_cast<std::uint16_t>(by_tail_.size());
  }
}

std::string_view Gazetteer::GluedStreetSuffix(std::string_view lower_word) const {
  if (lower_word.size() < kMinGluedWordBytes || tail_slots_.empty()) return {};
  const std::uint32_t tail = TailOf(lower_word);
  const std::size_t mask = tail_slots_.size() - 1;
  for (std::size_t slot = TailSlotOf(tail, mask);; slot = (slot + 1) & mask) {
    const TailSlot& s = tail_slots_[slot];
    if (s.tail == 0) return {};
    if (s.tail != tail) continue;
    for (std::uint16_t k = s.begin; k < s.end; ++k) {
      const std::string& suffix = glued_suffixes_[by_tail_[k]];
      if (lower_word.size() >= suffix.size() + 3 && lower_word.ends_with(suffix)) return suffix;
    }
    return {};
  }
}

core::Result<std::shared_ptr<const Gazetteer>> Gazetteer::Load(const std::string& dir) {
  auto g = std::make_shared<Gazetteer>();
  g->Rehash(std::size_t{1} << 19);  // ~260k entries: no rehash while loading
  const auto upsert = [&](std::string_view phrase) -> LexiconEntry& { return g->Upsert(phrase); };
  core::Status s = ForEachLine(dir, "given_names.tsv", [&](const std::string_view* c) {
    LexiconEntry& e = upsert(c[0]);
    e.flags |= kGivenName;
    e.RaiseGivenCount(ParseCount(c[1]));
  });
  if (!s.ok()) return s;
  s = ForEachLine(dir, "surnames.tsv", [&](const std::string_view* c) {
    LexiconEntry& e = upsert(c[0]);
    e.flags |= kSurname;  // (the census count in c[1] is not used by any rule)
  });
  if (!s.ok()) return s;
  for (const char* file : {"cities.tsv", "cities_alt.tsv"}) {
    s = ForEachLine(dir, file, [&](const std::string_view* c) {
      LexiconEntry& e = upsert(c[0]);
      e.flags |= kCity;
      e.RaisePopulation(ParseCount(c[2]));
    });
    if (!s.ok()) return s;
  }
  s = ForEachLine(dir, "countries.txt",
                  [&](const std::string_view* c) { upsert(c[0]).flags |= kCountry; });
  if (!s.ok()) return s;
  for (const char* file : {"admin1.tsv", "subdivisions_iso3166_2.tsv"}) {
    s = ForEachLine(dir, file, [&](const std::string_view* c) { upsert(c[0]).flags |= kRegion; });
    if (!s.ok()) return s;
  }
  s = ForEachLine(dir, "street_suffixes.txt",
                  [&](const std::string_view* c) { upsert(c[0]).flags |= kStreetType; });
  if (!s.ok()) return s;
  static constexpr std::string_view kGluedLanguages[] = {"de", "nl", "da", "sv", "nb", "fi"};
  const auto glued_language_of = [](std::string_view lang) {
    return std::find(std::begin(kGluedLanguages), std::end(kGluedLanguages), lang) !=
           std::end(kGluedLanguages);
  };
  s = ForEachLine(dir, "street_types_intl.tsv", [&](const std::string_view* c) {
    if (c[2] == "glued_suffix") {
      std::string suffix = LowerUtf8(c[0]);
      while (!suffix.empty() && suffix.back() == '.') suffix.pop_back();
      if (suffix.size() >= 3) g->glued_suffixes_.push_back(std::move(suffix));
      return;
    }
    upsert(c[0]).flags |= kStreetType;
    if (const std::size_t sz = c[0].find("\xC3\x9F"); sz != std::string_view::npos) {
      std::string ss(c[0]);  // "straße" is also written "strasse"
      ss.replace(sz, 2, "ss");
      upsert(ss).flags |= kStreetType;
      // (Every glued suffix has at least three bytes: GluedStreetSuffix indexes them by
      // their last three.)
      if (glued_language_of(c[1]) && ss.size() >= 3) g->glued_suffixes_.push_back(LowerUtf8(ss));
    }
    const bool glued_language = std::find(std::begin(kGluedLanguages), std::end(kGluedLanguages),
                                          c[1]) != std::end(kGluedLanguages);
    if (glued_language && c[0].size() >= 3 && c[0].find(' ') == std::string_view::npos) {
      g->glued_suffixes_.push_back(LowerUtf8(c[0]));
    }
  });
  if (!s.ok()) return s;
  s = ForEachLine(dir, "street_units.txt",
                  [&](const std::string_view* c) { upsert(c[0]).flags |= kUnitWord; });
  if (!s.ok()) return s;
  s = ForEachLine(dir, "person_titles.tsv",
                  [&](const std::string_view* c) { upsert(c[0]).flags |= kPersonTitle; });
  if (!s.ok()) return s;
  s = ForEachLine(dir, "ambiguous_words.tsv",
                  [&](const std::string_view* c) { upsert(c[0]).flags |= kAmbiguous; });
  if (!s.ok()) return s;
  // Names that are also nationality, language or religion words ("Christian", "German",
  // "English"): the dictionary behind ambiguous_words.tsv writes them capitalised, so it
  // misses them. Ambiguous, they are names only with a title, a cue or a surname.
  for (std::string_view word :
       {"christian", "german", "english", "french", "british", "irish", "welsh", "dutch",
        "catholic", "muslim", "jewish", "african", "american", "european", "asian", "indian"}) {
    if (const LexiconEntry* e = g->Find(word);
        e != nullptr && (e->flags & (kGivenName | kSurname))) {
      upsert(word).flags |= kAmbiguous;
    }
  }
  auto& suffixes = g->glued_suffixes_;
  std::sort(suffixes.begin(), suffixes.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  suffixes.erase(std::unique(suffixes.begin(), suffixes.end()), suffixes.end());
  g->IndexGluedSuffixes();
  g->SummariseFlags();
  return std::shared_ptr<const Gazetteer>(std::move(g));
}

core::Result<std::shared_ptr<const Gazetteer>> Gazetteer::LoadShared(const std::string& dir) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const Gazetteer>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto alive = loaded[dir].lock()) return alive;
  auto fresh = Load(dir);
  if (fresh.ok()) loaded[dir] = *fresh;
  return fresh;
}

}  // namespace lanewise::inspect
