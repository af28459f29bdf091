#include "inspect/rules/pattern_rules.h"

#include <hs/hs.h>

#include <algorithm>
#include <iterator>
#include <string>

#include "inspect/context_entities.h"
#include "inspect/rules/card_validator.h"
#include "inspect/rules/crypto_wallet.h"
#include "inspect/rules/iban_validator.h"
#include "inspect/rules/national_ids.h"
#include "inspect/rules/network_validators.h"
#include "inspect/rules/phone_number.h"
#include "inspect/rules/secret_detector.h"
#include "inspect/text/context_words.h"

namespace lanewise::inspect {
namespace {

constexpr unsigned int kCaseless = HS_FLAG_CASELESS;

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

Finding Make(TypeId type, std::uint32_t start, std::uint32_t end, float confidence,
             bool validated) {
  Finding f;
  f.type = type;
  f.start = start;
  f.end = end;
  f.confidence = confidence;
  f.validated = validated;
  return f;
}

// A digit run glued to the candidate by a separator ("12-4111...") belongs to something
// else (a longer number, a date, a range).
bool GluedToNumber(std::string_view text, std::uint32_t start, std::uint32_t end) {
  if (start >= 2 && (text[start - 1] == '-' || text[start - 1] == '.') &&
      IsDigit(text[start - 2])) {
    return true;
  }
  if (end + 1 < text.size() && (text[end] == '-' || text[end] == '.') && IsDigit(text[end + 1])) {
    return true;
  }
  return false;
}

// The candidate with a separator put back where the normaliser removed an invisible
// character between two letters or digits ("4111<ZWSP>1111 1111 1111"): the candidate's
// own separator (the first of `separators` found in it), or the first of them. Empty
// when there is no such place.
std::string WithHiddenSeparators(std::string_view text, std::uint32_t start, std::uint32_t end,
                                 std::span<const std::uint32_t> breaks,
                                 std::string_view separators = " -") {
  auto it = std::upper_bound(breaks.begin(), breaks.end(), start);
  if (it == breaks.end() || *it >= end) return {};
  const std::string_view s = text.substr(start, end - start);
  const std::size_t sep_at = s.find_first_of(separators);
  const char separator = sep_at == std::string_view::npos ? separators[0] : s[sep_at];
  std::string out;
  out.reserve(s.size() + 4);
  bool inserted = false;
  for (std::uint32_t i = start; i < end; ++i) {
    if (it != breaks.end() && *it == i) {
      if (IsAlnum(text[i - 1]) && IsAlnum(text[i])) {
        out.push_back(separator);
        inserted = true;
      }
      ++it;
    }
    out.push_back(text[i]);
  }
  return inserted ? out : std::string();
}

std::optional<Finding> Card(std::string_view text, std::uint32_t start, std::uint32_t end,
                            std::span<const std::uint32_t> hidden_breaks) {
  if (GluedToNumber(text, start, end)) return std::nullopt;
  const std::string regrouped = WithHiddenSeparators(text, start, end, hidden_breaks);
  const std::string_view s =
      regrouped.empty() || CardNumberValid(text.substr(start, end - start), false)
          ? text.substr(start, end - start)
          : std::string_view(regrouped);
  // The cue is looked for only once the number is valid (most candidates are not).
  const bool valid = CardNumberValid(s);
  if (!valid && !CardNumberValid(s, /*require_issuer=*/false)) return std::nullopt;
  static const CueList kCardCues{"card", "visa",  "mastercard", "amex",    "credit", "debit",
                                 "cc",   "karte", "carte",      "tarjeta", "carta"};
  const bool context = kCardCues.Near(text, start, end, 48);
  if (valid) return Make(kCreditCard, start, end, context ? 1.0F : 0.95F, true);
  // Issuer tables lag behind new ranges: a Luhn-valid number right after a card cue
  // still counts, with less confidence.
  if (context) return Make(kCreditCard, start, end, 0.8F, true);
  return std::nullopt;
}

std::optional<Finding> Ssn(std::string_view text, std::uint32_t start, std::uint32_t end,
                           std::span<const std::uint32_t> hidden_breaks) {
  if (GluedToNumber(text, start, end)) return std::nullopt;
  const std::string_view s = text.substr(start, end - start);
  if (!UsSsnValid(s)) return std::nullopt;
  static const CueList kSsnCues{"ssn", "social security", "social sec", "ss#", "ss #"};
  const bool context = kSsnCues.Near(text, start, end, 48);
  // Without a cue only the grouped form (3-2-4, one separator kind: hyphen, dot or space,
  // any of which may be a Unicode space or dash, or an invisible character, before
  // normalisation) counts: a restricted type, so an ambiguous grouping stays local.
  const auto grouped = [](std::string_view v) {
    return v.size() == 11 && v[3] == v[6] && (v[3] == '-' || v[3] == '.' || v[3] == ' ');
  };
  // Invisible characters inside nine digits that pass the SSN rules: disguised, so counted.
  const auto hidden = std::upper_bound(hidden_breaks.begin(), hidden_breaks.end(), start);
  const bool disguised = hidden != hidden_breaks.end() && *hidden < end;
  const bool formatted = grouped(s) || disguised ||
                         grouped(WithHiddenSeparators(text, start, end, hidden_breaks, "-. "));
  if (!formatted && !context) return std::nullopt;
  return Make(kUsSsn, start, end, context ? 0.95F : 0.85F, true);
}

std::optional<Finding> Ipv6(std::string_view text, std::uint32_t start) {
  if (start > 0) {
    const char before = text[start - 1];
    if (IsAlnum(before) || before == ':' || before == '_' || before == '.') return std::nullopt;
  }
  std::size_t len = Ipv6Length(text, start);
  if (len == 0) return std::nullopt;
  std::size_t end = start + len;
  if (end < text.size() && text[end] == '%') {  // zone index: fe80::1%eth0
    std::size_t z = end + 1;
    while (z < text.size() && IsAlnum(text[z])) ++z;
    if (z > end + 1) end = z;
  }
  if (end < text.size()) {
    const char after = text[end];
    if (IsAlnum(after) || after == ':' || after == '_') return std::nullopt;
    if (after == '.' && end + 1 < text.size() && IsAlnum(text[end + 1])) return std::nullopt;
  }
  const float confidence = len <= 3 ? 0.5F : 0.85F;  // "::" and "::1" are weak on their own
  return Make(kIpAddress, start, static_cast<std::uint32_t>(end), confidence, true);
}

std::optional<Finding> Checked(bool valid, TypeId type, std::uint32_t start, std::uint32_t end,
                               float confidence) {
  if (!valid) return std::nullopt;
  return Make(type, start, end, confidence, true);
}

// The national identifiers' cue words, prepared once.
struct NationalIdCues {
  CueList uk_nino{"national insurance", "nino", "ni number", "ni no"};
  CueList de_tax_id{"steuer", "idnr", "identifikationsnummer", "tax id", "tin", "st-id"};
  // What labels a number as a tax id when its digits break the repetition rule.
  CueList de_tax_id_label{"steuer-id",
                          "steueridentifikationsnummer",
                          "steuer-identifikationsnummer",
                          "steuer id",
                          "steuerid",
                          "idnr",
                          "tax id",
                          "st-id",
                          "steuerliche identifikationsnummer"};
  CueList es_dni{"dni", "nif", "documento", "identidad"};
  CueList es_nie{"nie", "extranjero", "identidad"};
  CueList it_fiscal_code{"codice fiscale", "fiscal", "cf"};
  CueList in_aadhaar{"aadhaar", "aadhar", "uidai", "uid"};
};

const NationalIdCues& NationalCues() {
  static const NationalIdCues cues;
  return cues;
}

// Checksummed national identifiers: weaker without a cue because short checksums pass
// by chance on arbitrary numbers.
std::optional<Finding> NationalId(bool valid, TypeId type, std::string_view text,
                                  std::uint32_t start, std::uint32_t end, const CueList& cues,
                                  float bare, float cued) {
  if (!valid || GluedToNumber(text, start, end)) return std::nullopt;
  const bool context = cues.Near(text, start, end, 64);
  return Make(type, start, end, context ? cued : bare, true);
}

// Token rules match a prefix and the minimum length; the token runs on over its
// alphabet (letters, digits, '_' and '-').
std::uint32_t TokenEnd(std::string_view text, std::uint32_t end) {
  while (end < text.size() && (IsAlnum(text[end]) || text[end] == '_' || text[end] == '-')) ++end;
  return end;
}

std::optional<Finding> Token(std::string_view text, std::uint32_t start, std::uint32_t end,
                             float confidence) {
  end = TokenEnd(text, end);
  if (!PrefixedTokenPlausible(text.substr(start, end - start))) return std::nullopt;
  return Make(kSecret, start, end, confidence, true);
}

// Bare domains: every label 1-63 characters, no leading/trailing hyphen; a path
// starting with '/' runs to the next space.
std::optional<Finding> BareUrl(std::string_view text, std::uint32_t start, std::uint32_t end) {
  if (start > 0 && (text[start - 1] == '@' || text[start - 1] == '.' || text[start - 1] == '/' ||
                    text[start - 1] == '-')) {
    return std::nullopt;
  }
  if (end < text.size() && (text[end] == '@' || text[end] == '-')) return std::nullopt;
  const std::string_view host = text.substr(start, end - start);
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= host.size(); ++i) {
    if (i < host.size() && host[i] != '.') continue;
    const std::string_view label = host.substr(label_start, i - label_start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return std::nullopt;
    }
    label_start = i + 1;
  }
  if (end < text.size() && text[end] == '/') {
    std::uint32_t e = end;
    while (e < text.size() && text[e] != ' ' && text[e] != '\n' && text[e] != '\t' &&
           text[e] != '"' && text[e] != '\'' && text[e] != '<' && text[e] != '>') {
      ++e;
    }
    end = start + static_cast<std::uint32_t>(UrlLength(text.substr(start, e - start)));
  }
  return Make(kUrl, start, end, 0.6F, false);
}

bool IsLocalChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsHostChar(char c) {
  return IsAlnum(c) || c == '-' || c == '.';
}

// The e-mail address around the "x@y" anchor ending at `end`.
std::optional<Finding> EmailAt(std::string_view text, std::uint32_t end, RuleScanState& state,
                               std::size_t rule) {
  const std::uint32_t at = end - 2;  // anchor: local char, '@', domain char
  if (at < state.CoveredUntil(rule)) return std::nullopt;
  std::uint32_t start = at;
  while (start > 0 && IsLocalChar(text[start - 1])) --start;
  while (start < at && !IsAlnum(text[start]) && text[start] != '_') ++start;  // ".x@" -> "x@"
  std::uint32_t stop = at + 1;
  while (stop < text.size() && IsHostChar(text[stop])) ++stop;
  while (stop > at + 1 && (text[stop - 1] == '.' || text[stop - 1] == '-')) --stop;
  state.Cover(rule, stop);
  if (!EmailValid(text.substr(start, stop - start))) return std::nullopt;
  return Make(kEmailAddress, start, stop, 0.95F, true);
}

// The host name (and path) around the ".tld" anchor ending at `end`.
std::optional<Finding> BareUrlAt(std::string_view text, std::uint32_t end, RuleScanState& state,
                                 std::size_t rule) {
  std::uint32_t start = end;
  while (start > 0 && IsHostChar(text[start - 1])) --start;
  while (start < end && !IsAlnum(text[start])) ++start;
  if (start < state.CoveredUntil(rule)) return std::nullopt;
  std::uint32_t stop = end;
  while (stop + 1 < text.size() && (IsAlnum(text[stop]) || text[stop] == '-' ||
                                    (text[stop] == '.' && IsAlnum(text[stop + 1])))) {
    ++stop;
  }
  state.Cover(rule, stop);
  return BareUrl(text, start, stop);
}

bool IsPhoneRunChar(char c) {
  return (c >= '0' && c <= '9') || c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' ||
         c == ')' || c == '+';
}

// The run of digits and separators around the seven-digit anchor ending at `end`.
std::optional<Finding> PhoneAt(std::string_view text, std::uint32_t end, RuleScanState& state,
                               std::size_t rule) {
  if (end <= state.CoveredUntil(rule)) return std::nullopt;
  std::uint32_t start = end;
  while (start > 0 && IsPhoneRunChar(text[start - 1]) &&
         !(text[start - 1] == ' ' && start >= 2 && text[start - 2] == ' ')) {
    --start;
  }
  while (start < end && !IsDigit(text[start]) && text[start] != '+' && text[start] != '(') ++start;
  std::uint32_t stop = end;
  while (stop < text.size() && IsPhoneRunChar(text[stop]) && text[stop] != '+' &&
         !(text[stop] == ' ' && stop + 1 < text.size() && text[stop + 1] == ' ')) {
    ++stop;
  }
  while (stop > end && !IsDigit(text[stop - 1]) && text[stop - 1] != ')') --stop;
  state.Cover(rule, stop);
  // An invisible character between two digits may have stood for a separator
  // ("697<ZWSP>2442"): when the number does not parse as it reads, it is parsed with a
  // space there, the span mapped back.
  const auto& breaks = state.hidden_breaks;
  auto it = std::upper_bound(breaks.begin(), breaks.end(), start);
  if (it == breaks.end() || *it >= stop) return ParsePhoneNumber(text, start, stop);
  if (auto plain = ParsePhoneNumber(text, start, stop)) return plain;
  std::string spaced(text.substr(0, start));
  std::vector<std::uint32_t> inserted;  // offsets in `spaced` of the spaces put in
  for (std::uint32_t i = start; i < text.size(); ++i) {
    if (it != breaks.end() && *it == i) {
      if (i < stop && IsDigit(text[i - 1]) && IsDigit(text[i])) {
        inserted.push_back(static_cast<std::uint32_t>(spaced.size()));
        spaced.push_back(' ');
      }
      ++it;
    }
    spaced.push_back(text[i]);
  }
  auto found = ParsePhoneNumber(spaced, start, stop + static_cast<std::uint32_t>(inserted.size()));
  if (!found) return std::nullopt;
  const auto back = [&inserted](std::uint32_t offset) {
    const auto before = std::lower_bound(inserted.begin(), inserted.end(), offset);
    return offset - static_cast<std::uint32_t>(before - inserted.begin());
  };
  found->start = back(found->start);
  found->end = back(found->end);
  return found;
}
// The URL around the "scheme://" anchor ending at `end`: what the expression
// \b(?:https?|ftp)://[^\s<>"'`]+ matches (longest), as [start, stop), or nothing.
std::optional<std::pair<std::uint32_t, std::uint32_t>> SchemeUrlAt(std::string_view text,
                                                                   std::uint32_t end) {
  const std::uint32_t colon = end - 3;
  auto lower_at = [&](std::uint32_t i) {
    const char c = text[i];
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  };
  std::uint32_t start = 0;
  if (colon >= 5 && lower_at(colon - 1) == 's' && lower_at(colon - 2) == 'p' &&
      lower_at(colon - 3) == 't' && lower_at(colon - 4) == 't' && lower_at(colon - 5) == 'h') {
    start = colon - 5;
  } else if (colon >= 4 && lower_at(colon - 1) == 'p' && lower_at(colon - 2) == 't' &&
             lower_at(colon - 3) == 't' && lower_at(colon - 4) == 'h') {
    start = colon - 4;
  } else if (colon >= 3 && lower_at(colon - 1) == 'p' && lower_at(colon - 2) == 't' &&
             lower_at(colon - 3) == 'f') {
    start = colon - 3;
  } else {
    return std::nullopt;
  }
  if (start > 0 && (IsAlnum(text[start - 1]) || text[start - 1] == '_')) return std::nullopt;
  std::uint32_t stop = end;
  while (stop < text.size()) {
    const char c = text[stop];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == '<' ||
        c == '>' || c == '"' || c == '\'' || c == '`') {
      break;
    }
    ++stop;
  }
  if (stop == end) return std::nullopt;
  return std::make_pair(start, stop);
}
// Each rule's check turns a candidate (for anchor rules start == end: only the end is
// known) into a Finding or drops it. Listed in the rule's row of kRules.
std::optional<Finding> CheckCard(const RuleCandidate& c) {
  return Card(c.text, c.start, c.end, c.state.hidden_breaks);
}

std::optional<Finding> CheckIban(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  bool valid = IbanCandidateValid(s);
  if (!valid && !c.state.hidden_breaks.empty()) {
    const std::string regrouped =
        WithHiddenSeparators(c.text, c.start, c.end, c.state.hidden_breaks);
    valid = !regrouped.empty() && IbanCandidateValid(regrouped);
  }
  if (!valid) return std::nullopt;
  static const CueList kIbanCues{"iban", "account", "bank", "konto"};
  const bool context = kIbanCues.Near(c.text, c.start, c.end, 48);
  return Make(kIbanCode, c.start, c.end, context ? 1.0F : 0.95F, true);
}

std::optional<Finding> CheckUsSsn(const RuleCandidate& c) {
  return Ssn(c.text, c.start, c.end, c.state.hidden_breaks);
}

std::optional<Finding> CheckEmail(const RuleCandidate& c) {
  return EmailAt(c.text, c.end, c.state, c.index);
}

std::optional<Finding> CheckPhone(const RuleCandidate& c) {
  return PhoneAt(c.text, c.end, c.state, c.index);
}

std::optional<Finding> CheckIpv4(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  if (c.start > 0 && (c.text[c.start - 1] == '.' || c.text[c.start - 1] == 'v'))
    return std::nullopt;
  static const CueList kVersionCues{"version", "release"};
  if (!Ipv4Valid(s) || kVersionCues.Near(c.text, c.start, c.end, 16)) {
    return std::nullopt;
  }
  return Make(kIpAddress, c.start, c.end, 0.85F, true);
}

std::optional<Finding> CheckIpv6(const RuleCandidate& c) {
  return Ipv6(c.text, c.start);
}

std::optional<Finding> CheckMacSeparated(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  return Checked(MacValid(s), kMacAddress, c.start, c.end, 0.85F);
}

std::optional<Finding> CheckMacDotted(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  bool letter = false;
  for (char ch : s) letter = letter || (!IsDigit(ch) && ch != '.');
  if (!MacValid(s)) return std::nullopt;
  static const CueList kMacCues{"mac", "hardware", "physical"};
  if (!letter && !kMacCues.Near(c.text, c.start, c.end, 40)) {
    return std::nullopt;
  }
  return Make(kMacAddress, c.start, c.end, 0.85F, true);
}

std::optional<Finding> CheckUrlScheme(const RuleCandidate& c) {
  const auto url = SchemeUrlAt(c.text, c.end);
  if (!url) return std::nullopt;
  const std::string_view u = c.text.substr(url->first, url->second - url->first);
  // The host needs a dot (a domain or IPv4), brackets (IPv6) or be localhost.
  const std::size_t host = u.find("://") + 3;
  const std::size_t host_end = u.find_first_of("/?#", host);
  const std::string_view h =
      u.substr(host, host_end == std::string_view::npos ? host_end : host_end - host);
  const bool plausible = h.find('.') != std::string_view::npos ||
                         (!h.empty() && h.front() == '[') || h.substr(0, 9) == "localhost";
  return Checked(plausible, kUrl, url->first, url->first + static_cast<std::uint32_t>(UrlLength(u)),
                 0.9F);
}

std::optional<Finding> CheckUrlBare(const RuleCandidate& c) {
  return BareUrlAt(c.text, c.end, c.state, c.index);
}

std::optional<Finding> CheckBitcoinBase58(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  return Checked(Base58CheckAddressValid(s), kCrypto, c.start, c.end, 0.95F);
}

std::optional<Finding> CheckBitcoinBech32(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  return Checked(Bech32AddressValid(s), kCrypto, c.start, c.end, 0.95F);
}

std::optional<Finding> CheckEthereum(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  bool checksummed = false;
  const bool valid = EthereumAddressValid(s, &checksummed);
  return Checked(valid, kCrypto, c.start, c.end, checksummed ? 0.95F : 0.7F);
}

std::optional<Finding> CheckToken(const RuleCandidate& c) {
  return Token(c.text, c.start, c.end, 0.95F);
}

std::optional<Finding> CheckOpenAiKey(const RuleCandidate& c) {
  return Token(c.text, c.start, c.end, 0.9F);
}

std::optional<Finding> CheckJwt(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  return Checked(JwtValid(s), kSecret, c.start, c.end, 0.95F);
}

std::optional<Finding> CheckPemPrivateKey(const RuleCandidate& c) {
  return Make(kSecret, c.start, static_cast<std::uint32_t>(PemBlockEnd(c.text, c.start)), 1.0F,
              true);
}

std::optional<Finding> CheckAssignedSecret(const RuleCandidate& c) {
  const auto value = AssignedSecret(c.text, c.start, c.end);
  if (!value) return std::nullopt;
  return Make(kSecret, static_cast<std::uint32_t>(value->first),
              static_cast<std::uint32_t>(value->second), 0.8F, false);
}

std::optional<Finding> CheckBirthCue(const RuleCandidate& c) {
  if (c.end < c.state.CoveredUntil(c.index)) return std::nullopt;
  if (auto dob = DateOfBirthAfter(c.text, c.end)) {
    c.state.Cover(c.index, dob->end);
    return dob;
  }
  return std::nullopt;
}

std::optional<Finding> CheckMedicalRecord(const RuleCandidate& c) {
  return MedicalRecordAt(c.text, c.start, c.end);
}

std::optional<Finding> CheckUkNino(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  return NationalId(UkNinoValid(s), kUkNino, c.text, c.start, c.end, NationalCues().uk_nino, 0.85F,
                    0.95F);
}

std::optional<Finding> CheckDeTaxId(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  if (DeTaxIdValid(s)) {
    return NationalId(true, kDeTaxId, c.text, c.start, c.end, NationalCues().de_tax_id, 0.6F,
                      0.95F);
  }
  // Labelled as a tax id with a valid check digit: counts even when the digits break
  // the repetition rule (sample numbers do), with less confidence.
  if (!DeTaxIdCheckDigitValid(s) || GluedToNumber(c.text, c.start, c.end)) return std::nullopt;
  if (!NationalCues().de_tax_id_label.Near(c.text, c.start, c.end, 64)) {
    return std::nullopt;
  }
  return Make(kDeTaxId, c.start, c.end, 0.7F, true);
}

std::optional<Finding> CheckEsDni(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  return NationalId(EsDniValid(s), kEsDni, c.text, c.start, c.end, NationalCues().es_dni, 0.8F,
                    0.95F);
}

std::optional<Finding> CheckEsNie(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  // Written in lower case ("x9613851n") it is less certain without a cue.
  const bool lower = s[0] == 'x' || s[0] == 'y' || s[0] == 'z';
  return NationalId(EsNieValid(s), kEsNie, c.text, c.start, c.end, NationalCues().es_nie,
                    lower ? 0.7F : 0.9F, 0.95F);
}

std::optional<Finding> CheckItFiscalCode(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  return NationalId(ItFiscalCodeValid(s), kItFiscalCode, c.text, c.start, c.end,
                    NationalCues().it_fiscal_code, 0.9F, 0.95F);
}

std::optional<Finding> CheckAadhaar(const RuleCandidate& c) {
  const std::string_view s = c.text.substr(c.start, c.end - c.start);
  return NationalId(AadhaarValid(s), kInAadhaar, c.text, c.start, c.end, NationalCues().in_aadhaar,
                    0.55F, 0.95F);
}

// One row per rule: what it finds, its candidate expression (Hyperscan's, and the
// oracle of the C++ finders), how its candidates are found, and its check.
constexpr PatternRule kRules[] = {
    {Rule::kCard, kCreditCard, R"(\b\d(?:[ \-.]?\d){11,18}\b)", 0, false, true, Finder::kDigitShape,
     CheckCard},
    {Rule::kIban, kIbanCode, R"(\b[A-Za-z]{2}\d{2}(?:[ \-.]?[A-Za-z0-9]){11,30}\b)", 0, false, true,
     Finder::kDigitShape, CheckIban},
    {Rule::kUsSsn, kUsSsn, R"(\b\d{3}[ .\-]?\d{2}[ .\-]?\d{4}\b)", 0, false, true,
     Finder::kDigitShape, CheckUsSsn},
    {Rule::kEmail, kEmailAddress, R"([A-Za-z0-9_%+\-]@[A-Za-z0-9])", 0, true, false,
     Finder::kTextAnchor, CheckEmail},
    {Rule::kPhone, kPhoneNumber, R"(\d(?:[ .\-/()]{0,2}\d){6})", 0, true, false,
     Finder::kDigitShape, CheckPhone},
    {Rule::kIpv4, kIpAddress, R"(\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)", 0, false, true,
     Finder::kDigitShape, CheckIpv4},
    {Rule::kIpv6, kIpAddress, R"([0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:|::)", 0, true, true,
     Finder::kHyperscan, CheckIpv6},
    {Rule::kMacSeparated, kMacAddress, R"(\b[0-9A-Fa-f]{2}(?:[:\-][0-9A-Fa-f]{2}){5}\b)", 0, false,
     true, Finder::kHyperscan, CheckMacSeparated},
    {Rule::kMacDotted, kMacAddress, R"(\b[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\b)", 0,
     false, true, Finder::kTextAnchor, CheckMacDotted},
    {Rule::kUrlScheme, kUrl, R"((?:https?|ftp)://)", kCaseless, true, false, Finder::kHyperscan,
     CheckUrlScheme},
    {Rule::kUrlBare, kUrl,
     R"([A-Za-z0-9]\.(?:com|org|net|edu|gov|mil|int|io|co|info|biz|app|dev|ai|tv|us|uk|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|cz|ru|ua|jp|cn|kr|in|au|nz|ca|br|mx|ar|il|za|eu|site|online|tech|xyz|cloud|webcam|vlaanderen)\b)",
     kCaseless, true, false, Finder::kTextAnchor, CheckUrlBare},
    {Rule::kBitcoinBase58, kCrypto, R"(\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b)", 0, false, true,
     Finder::kDigitShape, CheckBitcoinBase58},
    {Rule::kBitcoinBech32, kCrypto, R"(\b(?:bc|tb)1[02-9ac-hj-np-z]{6,87}\b)", kCaseless, false,
     true, Finder::kHyperscan, CheckBitcoinBech32},
    {Rule::kEthereum, kCrypto, R"(\b0x[0-9a-fA-F]{40}\b)", 0, false, true, Finder::kDigitShape,
     CheckEthereum},
    {Rule::kAwsKey, kSecret, R"(\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b)", 0, false, true,
     Finder::kHyperscan, CheckToken},
    {Rule::kGithubToken, kSecret, R"(\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50}))",
     0, true, true, Finder::kHyperscan, CheckToken},
    {Rule::kGitlabToken, kSecret, R"(\bglpat-[A-Za-z0-9_\-]{20})", 0, true, true,
     Finder::kHyperscan, CheckToken},
    {Rule::kSlackToken, kSecret, R"(\bxox[abposr]-[A-Za-z0-9\-]{10})", 0, true, true,
     Finder::kHyperscan, CheckToken},
    {Rule::kOpenAiKey, kSecret, R"(\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20})", 0, true,
     true, Finder::kHyperscan, CheckOpenAiKey},
    {Rule::kAnthropicKey, kSecret, R"(\bsk-ant-[A-Za-z0-9_\-]{20})", 0, true, true,
     Finder::kHyperscan, CheckToken},
    {Rule::kGoogleApiKey, kSecret, R"(\bAIza[0-9A-Za-z_\-]{35})", 0, true, true, Finder::kHyperscan,
     CheckToken},
    {Rule::kStripeKey, kSecret, R"(\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10})", 0, true, true,
     Finder::kHyperscan, CheckToken},
    {Rule::kJwt, kSecret, R"(\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,})", 0,
     true, true, Finder::kHyperscan, CheckJwt},
    {Rule::kPemPrivateKey, kSecret, R"(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----)", 0,
     true, true, Finder::kHyperscan, CheckPemPrivateKey},
    {Rule::kAssignedSecret, kSecret,
     R"(\b(?:password|passwd|pwd|passphrase|secret|token|api[_\-. ]?key|apikey|access[_\-. ]?key|auth[_\-. ]?key|client[_\-. ]?secret|private[_\-. ]?key|credentials?)["']?\s{0,3}(?:[:=]|is\b))",
     kCaseless, true, true, Finder::kHyperscan, CheckAssignedSecret},
    {Rule::kBirthCue, kDateOfBirth,
     R"(\b(?:born|birth|dob|d\.o\.b|birthday|birthdate|geboren|geburtsdatum|naissance|nacimiento|nacid[oa]|nascita|nat[oa])\b|\bgeb\.|\bn\xC3\xA9e?)",
     kCaseless, true, false, Finder::kHyperscan, CheckBirthCue},
    {Rule::kMedicalRecord, kMedicalRecordNumber,
     R"(\b(?:mrn|medical record(?: number| no\.?| num| #)?|patient (?:id|number|no\.?|#)|chart (?:number|no\.?))[ :#=is]{0,6}[A-Za-z0-9][A-Za-z0-9\-]{3,19}\b)",
     kCaseless, true, true, Finder::kHyperscan, CheckMedicalRecord},
    {Rule::kUkNino, kUkNino,
     R"(\b[A-Za-z]{2}[ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?[A-Da-d]\b)", 0, false, true,
     Finder::kDigitShape, CheckUkNino},
    {Rule::kDeTaxId, kDeTaxId, R"(\b[1-9]\d(?:[ .\-]?\d{3}){3}\b)", 0, false, true,
     Finder::kDigitShape, CheckDeTaxId},
    {Rule::kEsDni, kEsDni, R"(\b\d{7,8}[ .\-]?[A-Za-z]\b)", 0, false, true, Finder::kDigitShape,
     CheckEsDni},
    {Rule::kEsNie, kEsNie, R"(\b[XYZxyz][ .\-]?\d{7}[ .\-]?[A-Za-z]\b)", 0, false, true,
     Finder::kDigitShape, CheckEsNie},
    {Rule::kItFiscalCode, kItFiscalCode,
     R"(\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b)",
     0, false, true, Finder::kTextAnchor, CheckItFiscalCode},
    {Rule::kAadhaar, kInAadhaar, R"(\b[2-9]\d{3}[ .\-:]?\d{4}[ .\-:]?\d{4}\b)", 0, false, true,
     Finder::kDigitShape, CheckAadhaar},
};
}  // namespace

std::span<const PatternRule> BuiltinRules() {
  return kRules;
}

unsigned int BuiltinRuleIndex(Rule rule) {
  const auto rules = BuiltinRules();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].rule == rule) return static_cast<unsigned int>(i);
  }
  return static_cast<unsigned int>(rules.size());  // not reached: every Rule has an entry
}

std::optional<Finding> ApplyRule(const PatternRule& rule, std::string_view text,
                                 std::uint32_t start, std::uint32_t end, RuleScanState& state) {
  return rule.check(RuleCandidate{text, start, end, state, static_cast<std::size_t>(rule.rule)});
}

}  // namespace lanewise::inspect
