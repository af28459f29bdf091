#include "inspect/text/digit_shapes.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "inspect/text/ascii.h"
#include "inspect/text/byte_masks.h"

namespace lanewise::inspect {
namespace {

using ascii::IsDigit;
using ascii::IsHexDigit;
using ascii::IsLetter;
using ascii::IsWordByte;  // Hyperscan's \b without HS_FLAG_UCP

// Reads a candidate left to right, one piece of its expression at a time. Every optional
// piece is a separator that cannot start the piece after it, so taking it whenever it is
// there is the only way to match.
class Shape {
 public:
  explicit Shape(std::string_view s) : s_(s) {}

  bool Digits(std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
      if (!Next(IsDigit)) return false;
    }
    return true;
  }
  bool DigitFrom(char lowest) {
    if (i_ >= s_.size() || !IsDigit(s_[i_]) || s_[i_] < lowest) return false;
    ++i_;
    return true;
  }
  bool Letters(std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
      if (!Next(IsLetter)) return false;
    }
    return true;
  }
  bool OneOf(std::string_view set) {
    if (i_ >= s_.size() || set.find(s_[i_]) == std::string_view::npos) return false;
    ++i_;
    return true;
  }
  void Optional(std::string_view set) { (void)OneOf(set); }
  void OptionalDigit() { (void)Next(IsDigit); }
  bool AtEnd() const { return i_ == s_.size(); }

 private:
  bool Next(bool (*accept)(char)) {
    if (i_ >= s_.size() || !accept(s_[i_])) return false;
    ++i_;
    return true;
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

// \d(?:[ \-.]?\d){11,18}
bool IsCardShape(std::string_view s) {
  if (s.empty() || !IsDigit(s.front()) || !IsDigit(s.back())) return false;
  int digits = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (IsDigit(s[i])) {
      ++digits;
    } else if ((s[i] != ' ' && s[i] != '-' && s[i] != '.') || !IsDigit(s[i + 1])) {
      return false;  // s[i + 1] exists: the last byte is a digit
    }
  }
  return digits >= 12 && digits <= 19;
}

// \d{3}[ .\-]?\d{2}[ .\-]?\d{4}
bool IsSsnShape(std::string_view s) {
  Shape p(s);
  if (!p.Digits(3)) return false;
  p.Optional(" .-");
  if (!p.Digits(2)) return false;
  p.Optional(" .-");
  return p.Digits(4) && p.AtEnd();
}

// \d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}
bool IsIpv4Shape(std::string_view s) {
  int groups = 0;
  std::size_t digits = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      if (++digits > 3) return false;
    } else if (c == '.' && digits > 0 && groups < 3) {
      ++groups;
      digits = 0;
    } else {
      return false;
    }
  }
  return groups == 3 && digits > 0;
}

// [A-Za-z]{2}[ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?[A-Da-d]
bool IsNinoShape(std::string_view s) {
  Shape p(s);
  if (!p.Letters(2)) return false;
  for (int pair = 0; pair < 3; ++pair) {
    p.Optional(" .-");
    if (!p.Digits(2)) return false;
  }
  p.Optional(" .-");
  return p.OneOf("ABCDabcd") && p.AtEnd();
}

// [1-9]\d(?:[ .\-]?\d{3}){3}
bool IsDeTaxIdShape(std::string_view s) {
  Shape p(s);
  if (!p.DigitFrom('1') || !p.Digits(1)) return false;
  for (int group = 0; group < 3; ++group) {
    p.Optional(" .-");
    if (!p.Digits(3)) return false;
  }
  return p.AtEnd();
}

// \d{7,8}[ .\-]?[A-Za-z]
bool IsEsDniShape(std::string_view s) {
  Shape p(s);
  if (!p.Digits(7)) return false;
  p.OptionalDigit();
  p.Optional(" .-");
  return p.Letters(1) && p.AtEnd();
}

// [XYZxyz][ .\-]?\d{7}[ .\-]?[A-Za-z]
bool IsEsNieShape(std::string_view s) {
  Shape p(s);
  if (!p.OneOf("XYZxyz")) return false;
  p.Optional(" .-");
  if (!p.Digits(7)) return false;
  p.Optional(" .-");
  return p.Letters(1) && p.AtEnd();
}

// [2-9]\d{3}[ .\-:]?\d{4}[ .\-:]?\d{4}
bool IsAadhaarShape(std::string_view s) {
  Shape p(s);
  if (!p.DigitFrom('2') || !p.Digits(3)) return false;
  p.Optional(" .-:");
  if (!p.Digits(4)) return false;
  p.Optional(" .-:");
  return p.Digits(4) && p.AtEnd();
}

// A rule bounded by \b on both sides: its shortest and longest match, the fewest and
// most digits it holds, whether it ends with a letter (else with a digit), the fewest
// dots between its digits, and its shape.
struct BoundedShape {
  Rule rule;
  std::uint32_t min_length;
  std::uint32_t max_length;
  std::uint32_t min_digits;
  std::uint32_t max_digits;
  bool ends_with_letter;
  std::uint32_t min_dots;
  bool (*matches)(std::string_view);
};

constexpr BoundedShape kBoundedShapes[] = {
    {Rule::kCard, 12, 37, 12, 19, false, 0, IsCardShape},
    {Rule::kUsSsn, 9, 11, 9, 9, false, 0, IsSsnShape},
    {Rule::kIpv4, 7, 15, 4, 12, false, 3, IsIpv4Shape},
    {Rule::kUkNino, 9, 13, 6, 6, true, 0, IsNinoShape},
    {Rule::kDeTaxId, 11, 14, 11, 11, false, 0, IsDeTaxIdShape},
    {Rule::kEsDni, 8, 10, 7, 8, true, 0, IsEsDniShape},
    {Rule::kEsNie, 9, 11, 7, 7, true, 0, IsEsNieShape},
    {Rule::kAadhaar, 12, 14, 12, 12, false, 0, IsAadhaarShape},
};

// The phone anchor \d(?:[ .\-/()]{0,2}\d){6}: seven digits, each gap at most two of
// these separators.
bool IsPhoneGapByte(char c) {
  return c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')';
}
constexpr int kPhoneAnchorDigits = 7;

// Inside every bounded shape, consecutive digits are adjacent or one of these apart. The
// digits so chained up to a run's end bound the digits of any shape ending there.
bool IsShapeSeparator(char c) {
  return c == ' ' || c == '.' || c == '-' || c == ':';
}

struct RuleIds {
  std::array<unsigned int, std::size(kBoundedShapes)> bounded{};
  unsigned int phone = 0;
  unsigned int iban = 0;
  unsigned int bitcoin = 0;
  unsigned int ethereum = 0;
};

const RuleIds& Ids() {
  static const RuleIds ids = [] {
    RuleIds r;
    for (std::size_t k = 0; k < std::size(kBoundedShapes); ++k) {
      r.bounded[k] = BuiltinRuleIndex(kBoundedShapes[k].rule);
    }
    r.phone = BuiltinRuleIndex(Rule::kPhone);
    r.iban = BuiltinRuleIndex(Rule::kIban);
    r.bitcoin = BuiltinRuleIndex(Rule::kBitcoinBase58);
    r.ethereum = BuiltinRuleIndex(Rule::kEthereum);
    return r;
  }();
  return ids;
}

// Byte kinds for the look-back: an ASCII digit, a word byte of \b.
constexpr std::uint8_t kDigitKind = 1;
constexpr std::uint8_t kWordKind = 2;
constexpr std::array<std::uint8_t, 256> MakeByteKinds() {
  std::array<std::uint8_t, 256> kinds{};
  for (int c = 0; c < 256; ++c) {
    const auto byte = static_cast<char>(c);
    kinds[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(
        (IsDigit(byte) ? kDigitKind : 0) | (IsWordByte(byte) ? kWordKind : 0));
  }
  return kinds;
}
constexpr std::array<std::uint8_t, 256> kByteKinds = MakeByteKinds();
std::uint8_t KindOf(char c) {
  return kByteKinds[static_cast<unsigned char>(c)];
}

// What the bytes before a candidate end offer: the starts at a word boundary (a word
// byte after a non-word byte) and how many digits lie between each and the end.
struct Lookback {
  static constexpr std::uint32_t kReach = 37;  // the longest shape (a card, separated)
  std::uint32_t starts[kReach];
  std::uint32_t digits_after[kReach];
  std::size_t count = 0;

  // Starts at or after `first` only (where the digits that the shapes chain begin, less
  // the letters a NINO or NIE puts before them).
  Lookback(std::string_view text, std::uint32_t first, std::uint32_t end) {
    first = std::max(first, end > kReach ? end - kReach : 0);
    std::uint32_t digits = 0;
    // Right to left, so listed rightmost first; each byte's kind is looked up once.
    std::uint8_t here = end > first ? KindOf(text[end - 1]) : 0;
    for (std::uint32_t s = end; s-- > first;) {
      const std::uint8_t before = s > 0 ? KindOf(text[s - 1]) : 0;
      digits += here & kDigitKind;
      if ((here & kWordKind) != 0 && (before & kWordKind) == 0) {
        starts[count] = s;
        digits_after[count] = digits;
        ++count;
      }
      here = before;
    }
  }
};

// The leftmost start from which the text up to `end` has the shape (Hyperscan's
// leftmost start of match), if any.
void AddLeftmostMatch(std::string_view text, std::uint32_t end, const Lookback& lookback,
                      const BoundedShape& shape, unsigned int id, std::vector<RawMatch>& out) {
  for (std::size_t k = lookback.count; k-- > 0;) {  // leftmost first
    const std::uint32_t start = lookback.starts[k];
    const std::uint32_t length = end - start;
    if (length > shape.max_length) continue;
    if (length < shape.min_length || lookback.digits_after[k] < shape.min_digits) return;
    // A match holds exactly the digits between its start and the end: a start with too
    // many cannot match (most starts of a long number fail here, without the shape).
    if (lookback.digits_after[k] > shape.max_digits) continue;
    if (shape.matches(text.substr(start, length))) {
      out.push_back({id, start, end});
      return;
    }
  }
}

// The IBAN shape \b[A-Za-z]{2}\d{2}(?:[ \-.]?[A-Za-z0-9]){11,30}\b starting at `start`
// (two letters at a word boundary, then two digits): every end, unless an IBAN shape
// from further left already ends there (the leftmost start wins, as in Hyperscan).
class IbanShapes {
 public:
  void AddFrom(std::string_view text, std::uint32_t start, unsigned int id,
               std::vector<RawMatch>& out) {
    constexpr int kFewest = 11;
    constexpr int kMost = 30;
    std::erase_if(ends_, [start](std::uint32_t e) { return e <= start; });
    const auto n = static_cast<std::uint32_t>(text.size());
    std::uint32_t p = start + 4;
    for (int count = 1; count <= kMost; ++count) {
      std::uint32_t q = p;
      if (q < n && (text[q] == ' ' || text[q] == '-' || text[q] == '.')) ++q;
      if (q >= n || !(IsDigit(text[q]) || IsLetter(text[q]))) return;
      p = q + 1;
      if (count < kFewest || (p < n && IsWordByte(text[p]))) continue;
      if (std::find(ends_.begin(), ends_.end(), p) != ends_.end()) continue;
      ends_.push_back(p);
      out.push_back({id, start, p});
    }
  }

 private:
  std::vector<std::uint32_t> ends_;  // of the shapes found so far that may still overlap
};

// Where a run of digits at `run` (two or more) can be an IBAN's check digits.
bool IbanStartsBefore(std::string_view text, std::uint32_t run, std::uint32_t run_end) {
  return run_end - run >= 2 && run >= 2 && IsLetter(text[run - 2]) && IsLetter(text[run - 1]) &&
         (run == 2 || !IsWordByte(text[run - 3]));
}

// The offset of the first ASCII digit at or after `i`, or text.size(). Prose has few
// digits, so it is skipped eight bytes at a time (byte_masks.h).
std::uint32_t NextDigit(std::string_view text, std::uint32_t i) {
  const auto n = static_cast<std::uint32_t>(text.size());
  while (i + 8 <= n) {
    const std::uint64_t digits = byte_masks::BytesIn(byte_masks::LoadEight(text, i), '0', '9');
    if (digits != 0) return i + static_cast<std::uint32_t>(byte_masks::FirstMarked(digits));
    i += 8;
  }
  while (i < n && !IsDigit(text[i])) ++i;
  return i;
}

bool IsBase58(char c) {  // [1-9A-HJ-NP-Za-km-z]
  return (c >= '1' && c <= '9') || (IsLetter(c) && c != 'I' && c != 'O' && c != 'l');
}

// The end of the word (run of word bytes) starting at `start`.
std::uint32_t WordEnd(std::string_view text, std::uint32_t start) {
  while (start < text.size() && IsWordByte(text[start])) ++start;
  return start;
}

// Word shapes that begin with a digit, at a word start `start`:
//   Bitcoin base58 \b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b and Ethereum \b0x[0-9a-fA-F]{40}\b.
// Both consist of word bytes only, so with \b at both ends each is a whole word.
void AddDigitLedWords(std::string_view text, std::uint32_t start, const RuleIds& ids,
                      std::vector<RawMatch>& out) {
  const char first = text[start];
  if (first != '0' && first != '1' && first != '3') return;
  const std::uint32_t end = WordEnd(text, start);
  const std::uint32_t length = end - start;
  const std::string_view word = text.substr(start, length);
  if (first == '0') {
    if (length == 42 && word[1] == 'x' && std::all_of(word.begin() + 2, word.end(), IsHexDigit)) {
      out.push_back({ids.ethereum, start, end});
    }
    return;
  }
  if (length >= 26 && length <= 35 && std::all_of(word.begin() + 1, word.end(), IsBase58)) {
    out.push_back({ids.bitcoin, start, end});
  }
}

}  // namespace

bool MatchedAsDigitShape(Rule rule) {
  return BuiltinRules()[BuiltinRuleIndex(rule)].found_by == Finder::kDigitShape;
}

void FindDigitShapes(std::string_view text, std::vector<RawMatch>& out) {
  const RuleIds& ids = Ids();
  const auto n = static_cast<std::uint32_t>(text.size());
  std::uint32_t last_end = 0;  // candidate ends are visited once, in increasing order
  std::uint32_t previous_digit = 0;
  int chain = 0;                  // digits in the current phone-anchor chain
  std::uint32_t shape_chain = 0;  // digits chained by shape separators
  std::uint32_t shape_chain_start = 0;
  std::uint32_t shape_chain_dots = 0;  // '.' separators in that chain
  IbanShapes ibans;
  std::uint32_t i = 0;
  while (i < n) {
    i = NextDigit(text, i);
    if (i == n) break;
    // A run of digits [i, run_end); each digit extends or restarts the phone chain.
    std::uint32_t run_end = i;
    while (run_end < n && IsDigit(text[run_end])) {
      const std::uint32_t gap = run_end - previous_digit - 1;
      bool joined = chain > 0 && gap <= 2;
      for (std::uint32_t g = previous_digit + 1; joined && g < run_end; ++g) {
        joined = IsPhoneGapByte(text[g]);
      }
      chain = joined ? chain + 1 : 1;
      const bool in_shape =
          shape_chain > 0 && (gap == 0 || (gap == 1 && IsShapeSeparator(text[run_end - 1])));
      shape_chain = in_shape ? shape_chain + 1 : 1;
      if (!in_shape) {
        shape_chain_start = run_end;
        shape_chain_dots = 0;
      } else if (gap == 1 && text[run_end - 1] == '.') {
        ++shape_chain_dots;
      }
      previous_digit = run_end;
      if (chain >= kPhoneAnchorDigits) out.push_back({ids.phone, run_end + 1, run_end + 1});
      ++run_end;
    }
    if (IbanStartsBefore(text, i, run_end)) ibans.AddFrom(text, i - 2, ids.iban, out);
    if (i == 0 || !IsWordByte(text[i - 1])) AddDigitLedWords(text, i, ids, out);
    // Every bounded shape ends with its last digit, or one or two bytes later (a check
    // letter, "-Z", " C"), and holds at least four digits.
    constexpr std::uint32_t kFewestShapeDigits = 4;
    for (std::uint32_t end = run_end; end <= run_end + 2 && end <= n; ++end) {
      if (end > run_end && IsDigit(text[end - 1])) break;  // the next run's own end
      if (end <= last_end || !IsWordByte(text[end - 1])) continue;
      if (end < n && IsWordByte(text[end])) continue;
      last_end = end;
      if (shape_chain < kFewestShapeDigits) continue;
      // The shapes that can end here, from what the chain of digits before holds: most
      // ends (short numbers, groups of a longer one) have none, and need no look-back.
      const bool letter_end = end > run_end;
      std::uint32_t eligible = 0;
      for (std::size_t k = 0; k < std::size(kBoundedShapes); ++k) {
        const BoundedShape& shape = kBoundedShapes[k];
        if (shape_chain >= shape.min_digits && shape.ends_with_letter == letter_end &&
            shape_chain_dots >= shape.min_dots) {
          eligible |= 1U << k;
        }
      }
      if (eligible == 0) continue;
      constexpr std::uint32_t kLettersBeforeDigits = 3;  // "AB 12 34 56 C", "X-1234567-L"
      const Lookback lookback(
          text,
          shape_chain_start > kLettersBeforeDigits ? shape_chain_start - kLettersBeforeDigits : 0,
          end);
      for (std::size_t k = 0; k < std::size(kBoundedShapes); ++k) {
        if ((eligible & (1U << k)) == 0) continue;
        AddLeftmostMatch(text, end, lookback, kBoundedShapes[k], ids.bounded[k], out);
      }
    }
    i = run_end;
  }
}

}  // namespace lanewise::inspect
