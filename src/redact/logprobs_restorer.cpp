#include "redact/logprobs_restorer.h"

#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "redact/restorer.h"

namespace lanewise::redact {
namespace {

namespace json = boost::json;

struct Found {
  std::size_t start;
  std::size_t end;
  const std::string* value;
};

// The vault's placeholders in `text`, in order.
std::vector<Found> FindPlaceholders(std::string_view text, const PlaceholderVault& vault) {
  std::vector<Found> out;
  const std::size_t longest = vault.max_placeholder_size();
  std::size_t open = text.find('[');
  while (open != std::string_view::npos) {
    const std::size_t close = text.find(']', open + 1);
    if (close == std::string_view::npos) break;
    if (close - open + 1 <= longest) {
      if (const std::string* value = vault.ValueOf(text.substr(open, close - open + 1))) {
        out.push_back({open, close + 1, value});
        open = text.find('[', close + 1);
        continue;
      }
    }
    open = text.find('[', open + 1);
  }
  return out;
}

std::string_view TokenOf(const json::value& entry) {
  if (!entry.is_object()) return {};
  const json::value* token = entry.get_object().if_contains("token");
  return token != nullptr && token->is_string() ? std::string_view(token->get_string())
                                                : std::string_view();
}

void SetToken(json::object& entry, std::string token) {
  if (json::value* bytes = entry.if_contains("bytes"); bytes != nullptr && bytes->is_array()) {
    json::array fresh;
    for (unsigned char c : token) fresh.push_back(static_cast<std::int64_t>(c));
    *bytes = std::move(fresh);
  }
  entry["token"] = std::move(token);
}

void RestoreAlternatives(json::object& entry, const PlaceholderVault& vault) {
  json::value* top = entry.if_contains("top_logprobs");
  if (top == nullptr || !top->is_array()) return;
  for (json::value& alternative : top->get_array()) {
    if (!alternative.is_object()) continue;
    const std::string_view token = TokenOf(alternative);
    if (token.find('[') == std::string_view::npos) continue;
    std::string restored = RestoreText(token, vault, InsertAs::kText);
    if (restored != token) SetToken(alternative.get_object(), std::move(restored));
  }
}

}  // namespace

void RestoreTokenEntries(json::array& entries, const PlaceholderVault& vault) {
  std::string joined;
  std::vector<std::size_t> starts;
  for (const json::value& entry : entries) {
    starts.push_back(joined.size());
    joined += TokenOf(entry);
  }
  const std::vector<Found> found = FindPlaceholders(joined, vault);
  std::size_t next = 0;  // the first placeholder that may touch the current entry
  for (std::size_t k = 0; k < entries.size(); ++k) {
    if (!entries[k].is_object()) continue;
    json::object& entry = entries[k].get_object();
    RestoreAlternatives(entry, vault);
    const std::size_t from = starts[k];
    const std::size_t to = from + TokenOf(entries[k]).size();
    while (next < found.size() && found[next].end <= from) ++next;
    if (next == found.size() || found[next].start >= to) continue;
    std::string token;
    std::size_t at = from;
    for (std::size_t f = next; f < found.size() && found[f].start < to; ++f) {
      const Found& p = found[f];
      if (p.start > at) token.append(joined, at, p.start - at);
      if (p.start >= from) token += *p.value;  // the placeholder begins in this entry
      at = std::max(at, std::min(p.end, to));
    }
    if (at < to) token.append(joined, at, to - at);
    SetToken(entry, std::move(token));
  }
}

void RestoreLogprobs(json::object& logprobs, const PlaceholderVault& vault) {
  for (std::string_view field : {"content", "refusal"}) {
    json::value* entries = logprobs.if_contains(field);
    if (entries != nullptr && entries->is_array()) RestoreTokenEntries(entries->get_array(), vault);
  }
}

json::array TokenEntryStream::Push(const json::array& arrived) {
  for (const json::value& entry : arrived) held_.push_back(entry);
  std::string joined;
  std::vector<std::size_t> ends;
  for (const json::value& entry : held_) {
    joined += TokenOf(entry);
    ends.push_back(joined.size());
  }
  // Released: the entries that end before the text that may still become a placeholder,
  // cut only where no whole placeholder spans the cut.
  // Right to left: moving the cut left over one placeholder may put it inside the one before.
  const std::vector<Found> found = FindPlaceholders(joined, vault_);
  std::size_t cut = joined.size() - vault_.PendingSuffix(joined);
  for (auto p = found.rbegin(); p != found.rend(); ++p) {
    if (p->start < cut && p->end > cut) cut = p->start;
  }
  std::size_t released = 0;
  while (released < held_.size() && ends[released] <= cut) ++released;
  for (auto p = found.rbegin(); p != found.rend(); ++p) {
    // A placeholder may not straddle the released entries and the held ones.
    while (released > 0 && p->start < ends[released - 1] && p->end > ends[released - 1]) {
      --released;
    }
  }
  json::array out;
  for (std::size_t k = 0; k < released; ++k) out.push_back(std::move(held_[k]));
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(released));
  RestoreTokenEntries(out, vault_);
  return out;
}

json::array TokenEntryStream::Flush() {
  json::array out = std::move(held_);
  held_ = json::array();
  RestoreTokenEntries(out, vault_);
  return out;
}

}  // namespace lanewise::redact
