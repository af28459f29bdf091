// Helpers to look tokens and token n-grams up in the gazetteer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "inspect/gazetteer.h"
#include "inspect/tokenizer.h"

namespace lanewise::inspect {

// The entry of word token i (possessive "'s" stripped), or nullptr.
const LexiconEntry* LookupWord(const Gazetteer& g, const TokenizedText& t, std::size_t i);

// The entry of the phrase made of `words` word tokens starting at i (punctuation tokens
// in between are skipped, a newline ends the phrase), or nullptr. `last` receives the
// index of the phrase's last token.
const LexiconEntry* LookupPhrase(const Gazetteer& g, const TokenizedText& t, std::size_t i,
                                 int words, std::size_t* last);

// The lower-case form of word token i without a possessive "'s".
std::string_view LowerWord(const TokenizedText& t, std::size_t i);

// True when the words before token i (lower-case, ignoring punctuation tokens) end with
// `phrase` (space-separated lower-case words), on the same line.
bool PrecededBy(const TokenizedText& t, std::size_t i, std::string_view phrase);

bool HasFlag(const LexiconEntry* e, std::uint16_t flag);

// English function words and everyday words that also appear in the street-type lists
// (libpostal abbreviations of other languages, USPS suffixes such as "By", "Key",
// "Run"). Such a word is no evidence of a street on its own.
bool IsCommonWord(std::string_view lower);

}  // namespace lanewise::inspect
