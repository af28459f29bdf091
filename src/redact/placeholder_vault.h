// PlaceholderVault: the values one request's redaction replaced with reversible
// placeholders, and the way back.
//
// A placeholder reads `[TYPE_tag]` (e.g. `[PERSON_3fa85f64]`): the entity type and eight
// hex digits of HMAC-SHA256(key, scope | type | canonical value). The scope is the
// session id when the client sent one (x-lanewise-session), else the request id, so the
// same value gets the same placeholder throughout a conversation and an unrelated one
// elsewhere; the key never leaves the gateway. The canonical value ignores case, spaces,
// dashes and parentheses, so "4111 1111 1111 1111" and "4111-1111-1111-1111" share one
// placeholder.
//
// Restoring only ever looks placeholders up in this vault: a placeholder the request did
// not create, invented by a model or copied from another session, stays as it is.
//
// Not thread-safe while being filled; shared read-only (shared_ptr<const>) afterwards.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace lanewise::redact {

class PlaceholderVault {
 public:
  PlaceholderVault(std::string key, std::string scope);

  // The placeholder for `value` of `type`, made on first use. `value` is what the
  // placeholder stands for in the answer (the first form seen of a canonical value).
  const std::string& PlaceholderFor(std::string_view type, std::string_view value);

  // A keyed, irreversible, scope-independent label for the hash operator:
  // `[TYPE#` + 12 hex digits + `]`.
  std::string HashLabel(std::string_view type, std::string_view value) const;

  // The value behind `placeholder`, or null when this vault did not make it.
  const std::string* ValueOf(std::string_view placeholder) const;

  // Length of the longest suffix of `text` that is a proper prefix of one of this
  // vault's placeholders: the bytes a stream must hold back because the next event may
  // complete a placeholder. 0 when the text cannot end inside one.
  std::size_t PendingSuffix(std::string_view text) const;

  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  std::size_t max_placeholder_size() const { return max_size_; }

 private:
  std::string Digest(std::string_view domain, std::string_view type, std::string_view value) const;

  std::string key_;
  std::string scope_;
  std::map<std::string, std::string, std::less<>> values_;        // placeholder -> value
  std::map<std::string, std::string, std::less<>> placeholders_;  // type|canonical -> placeholder
  std::size_t max_size_ = 0;
};

// Case, spaces, dashes and parentheses removed: the form two spellings of one value share.
std::string CanonicalValue(std::string_view value);

// The key used when the policy names none: random, made once per process.
const std::string& ProcessRedactionKey();

}  // namespace lanewise::redact
