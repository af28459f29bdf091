#include "inspect/difficulty/difficulty_cues.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace lanewise::inspect {
namespace {

struct CueWords {
  Cue cue;
  std::initializer_list<std::string_view> words;
};

const std::array<CueWords, 15>& CueLists() {
  static const std::array<CueWords, 15> lists = {{
      // First: these maths words also ask for an answer without a question mark ("Calculate
      // the total..."); the maths cue counts them too.
      {Cue::kAsk, {"calculate", "compute"}},
      {Cue::kRate,
       {"each", "per", "every", "times", "twice", "double", "triple", "percent", "rate", "average",
        "total"}},
      {Cue::kCondition,
       {"if", "but", "then", "after", "before", "remaining", "rest", "left", "except", "unless",
        "until", "while", "instead"}},
      {Cue::kFraction, {"half", "third", "thirds", "quarter", "quarters", "fraction", "ratio"}},
      {Cue::kCode,
       {"def",        "function", "return", "class",     "import",     "code",       "python",
        "javascript", "java",     "sql",    "program",   "implement",  "algorithm",  "api",
        "bug",        "compile",  "script", "regex",     "html",       "css",        "array",
        "string",     "variable", "loop",   "recursion", "complexity", "git",        "bash",
        "c",          "sorted",   "tree",   "binary",    "node",       "nodes",      "arrays",
        "linked",     "queue",    "stack",  "lists",     "substring",  "subsequence"}},
      {Cue::kMath,
       {"solve",       "calculate", "compute",    "equation",   "integral",    "derivative",
        "probability", "theorem",   "matrix",     "polynomial", "prime",       "sqrt",
        "sum",         "product",   "area",       "volume",     "triangle",    "circle",
        "angle",       "mod",       "modulo",     "function",   "graph",       "vector",
        "eigenvalue",  "limit",     "expected",   "variance",   "logarithm",   "log",
        "factor",      "integer",   "integers",   "remainder",  "divided",     "divisible",
        "inequality",  "equations", "digits",     "sequence",   "dice",        "express",
        "algebra",     "geometric", "arithmetic", "radius",     "coordinates", "parabola"}},
      {Cue::kReasoning,
       {"step",       "steps",   "explain",  "why",       "reason",       "reasoning",
        "derive",     "analyze", "analyse",  "compare",   "evaluate",     "justify",
        "prove",      "proof",   "infer",    "deduce",    "implications", "consider",
        "suppose",    "assume",  "argument", "critique",  "how",          "statement",
        "statements", "true",    "false",    "uncertain", "relationship", "riddle",
        "puzzle",     "logic",   "logical",  "conclude",  "therefore"}},
      {Cue::kConstraint,
       {"must", "exactly", "only", "least", "most", "without", "limit", "format", "words",
        "sentence", "sentences", "ensure", "should", "maximum", "minimum", "strictly", "concise",
        "keep", "never"}},
      {Cue::kWriting,
       {"write", "story", "poem", "email", "essay", "blog", "draft", "compose", "rewrite",
        "describe", "persuasive", "letter", "speech", "slogan"}},
      {Cue::kRoleplay,
       {"pretend", "imagine", "act", "role", "character", "roleplay", "persona", "embrace",
        "yourself"}},
      {Cue::kExtraction,
       {"extract", "list", "summarize", "summarise", "table", "json", "identify", "categorize",
        "classify", "return", "output"}},
      {Cue::kUnit,
       {"hour",   "hours",   "minute", "minutes", "second", "seconds", "day",    "days",
        "week",   "weeks",   "month",  "months",  "year",   "years",   "mile",   "miles",
        "km",     "meter",   "meters", "feet",    "foot",   "inch",    "inches", "pound",
        "pounds", "kg",      "gram",   "grams",   "cent",   "cents",   "dollar", "dollars",
        "gallon", "gallons", "liter",  "liters",  "mph"}},
      {Cue::kComparison,
       {"more", "less", "fewer", "than", "difference", "longer", "shorter", "older", "younger",
        "faster", "slower", "cheaper", "bigger", "smaller"}},
      {Cue::kSequence,
       {"first", "third", "next", "finally", "later", "afterwards", "previous", "following", "last",
        "initially", "originally", "start", "end"}},
      {Cue::kNumberWord, {"one",    "two",   "three", "four",    "five",     "six",     "seven",
                          "eight",  "nine",  "ten",   "eleven",  "twelve",   "fifteen", "twenty",
                          "thirty", "forty", "fifty", "hundred", "thousand", "dozen",   "dozens"}},
  }};
  return lists;
}

// An open-addressing table keyed by word hash (a quarter full, so a miss, the usual case,
// mostly ends at the first empty slot); the first list naming a word gives its cue.
struct CueTable {
  struct Slot {
    std::uint64_t hash = 0;
    Cue cue = Cue::kNone;
    bool used = false;
  };
  std::vector<Slot> slots;
  std::uint64_t mask = 0;

  static std::size_t Home(std::uint64_t hash) {
    return static_cast<std::size_t>(hash ^ (hash >> 32));
  }

  Cue Find(std::uint64_t hash) const {
    for (std::size_t i = Home(hash) & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots[i];
      if (!slot.used) return Cue::kNone;
      if (slot.hash == hash) return slot.cue;
    }
  }
};

CueTable BuildTable() {
  std::size_t words = 0;
  for (const CueWords& list : CueLists()) words += list.words.size();
  CueTable table;
  std::size_t size = 16;
  while (size < 4 * words) size *= 2;
  table.slots.resize(size);
  table.mask = size - 1;
  for (const CueWords& list : CueLists()) {
    for (std::string_view word : list.words) {
      const std::uint64_t hash = HashWord(word);
      std::size_t i = CueTable::Home(hash) & table.mask;
      while (table.slots[i].used && table.slots[i].hash != hash) i = (i + 1) & table.mask;
      if (table.slots[i].used) continue;  // an earlier list named it
      table.slots[i] = {hash, list.cue, true};
    }
  }
  return table;
}

}  // namespace

std::uint64_t HashWord(std::string_view lower_case_word) {
  std::uint64_t hash = kWordHashSeed;
  for (char c : lower_case_word) hash = WordHashStep(hash, static_cast<unsigned char>(c));
  return hash;
}

Cue CueOfWord(std::uint64_t word_hash) {
  static const CueTable table = BuildTable();
  return table.Find(word_hash);
}

}  // namespace lanewise::inspect
