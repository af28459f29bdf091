#include "redact/request_redactor.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <set>
#include <vector>

#include "inspect/inspector.h"
#include "inspect/request_walker.h"
#include "redact/json_text.h"
#include "redact/minimum_context.h"
#include "redact/value_operators.h"

namespace lanewise::redact {
namespace {

namespace json = boost::json;

// Scans after the first rewrite; a value found by the last one is a refusal.
constexpr int kRescans = 2;

struct Span {
  std::size_t start;
  std::size_t end;
  const std::string* type;
};

// Bytes written by the rewrite, in the rewritten string's offsets: what a later scan may
// find inside them is the gateway's own output, not a leak.
using Written = std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>>;

bool IsUtf8Boundary(std::string_view s, std::size_t at) {
  return at == 0 || at >= s.size() || (static_cast<unsigned char>(s[at]) & 0xC0) != 0x80;
}

bool EndsWithArguments(std::string_view pointer) {
  return pointer.ends_with("/arguments");
}

// The value as it should read in an answer: tool-call arguments are JSON text, so an
// escaped value inside them is unescaped.
std::string AnswerForm(std::string_view pointer, std::string_view raw) {
  if (!EndsWithArguments(pointer) || raw.find('\\') == std::string_view::npos) {
    return std::string(raw);
  }
  boost::system::error_code ec;
  json::value decoded = json::parse("\"" + std::string(raw) + "\"", ec);
  return !ec && decoded.is_string() ? std::string(decoded.get_string()) : std::string(raw);
}

// RFC 6901: "~1" is '/', "~0" is '~'.
std::string UnescapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out.push_back(token[i + 1] == '0' ? '~' : '/');
      ++i;
    } else {
      out.push_back(token[i]);
    }
  }
  return out;
}

bool Overlaps(const std::vector<std::pair<std::size_t, std::size_t>>& written, std::size_t start,
              std::size_t end) {
  return std::any_of(written.begin(), written.end(), [&](const auto& w) {
    return start <= w.second && w.first <= end;  // touching counts: placeholders abut text
  });
}

class Rewriter {
 public:
  Rewriter(const config::RedactionPolicy& policy, int class_rank, PlaceholderVault& vault,
           RedactionSummary& summary)
      : policy_(policy), class_rank_(class_rank), vault_(vault), summary_(summary) {}

  // Rewrites the entities' spans in `body`; those inside `written` are skipped.
  // Returns how many values were rewritten, or an error for a span that does not fit.
  core::Result<int> Apply(json::object& body, const std::vector<core::Entity>& entities,
                          Written& written) {
    std::map<std::string, std::vector<Span>> by_location;
    for (const auto& e : entities) {
      auto& spans = written[e.location];
      if (Overlaps(spans, e.start, e.end)) continue;
      by_location[e.location].push_back({e.start, e.end, &e.type});
    }
    int rewritten = 0;
    json::value root(std::move(body));
    // Sorted by pointer: a member's value and everything under it come before its key
    // ("/m/k" and "/m/k/x" sort before "/m/k~k"), so a renamed key moves nothing left to do.
    core::Status status = core::Status::Ok();
    for (auto& [pointer, spans] : by_location) {
      status = inspect::IsKeyLocation(pointer) ? RenameKey(root, pointer, spans, written[pointer])
                                               : RewriteValue(root, pointer, spans, written);
      if (!status.ok()) break;
      rewritten += static_cast<int>(spans.size());
    }
    body = std::move(root.get_object());
    if (!status.ok()) return status;
    return rewritten;
  }

 private:
  // A string or number value. A string holding a JSON document is rewritten inside its
  // decoded values and stays valid JSON; a number becomes a string with its replacement.
  core::Status RewriteValue(json::value& root, const std::string& pointer, std::vector<Span>& spans,
                            Written& written) {
    boost::system::error_code ec;
    json::value* target = root.find_pointer(pointer, ec);
    if (target == nullptr || !(target->is_string() || target->is_number())) {
      return core::Internal("redaction: entity location " + pointer +
                            " is not a string or a number");
    }
    if (target->is_number()) {
      const std::string digits = inspect::NumberText(*target);
      auto result = RewriteString(pointer, digits, spans, written[pointer]);
      if (!result.ok()) return result.status();
      *target = std::move(result.value());
      return core::Status::Ok();
    }
    const std::string_view text = target->get_string();
    if (auto tokens = TokenizeJsonText(text)) {
      std::string rewritten = RewriteInJson(pointer, text, *tokens, spans);
      written[pointer] = Occurrences(rewritten, json_replacements_[pointer]);
      *target = std::move(rewritten);
      return core::Status::Ok();
    }
    auto result = RewriteString(pointer, text, spans, written[pointer]);
    if (!result.ok()) return result.status();
    *target = std::move(result.value());
    return core::Status::Ok();
  }

  // An object key: the member is renamed, in place (the other members keep their order).
  core::Status RenameKey(json::value& root, const std::string& location, std::vector<Span>& spans,
                         std::vector<std::pair<std::size_t, std::size_t>>& written) {
    const std::string member = location.substr(0, location.size() - inspect::kKeySuffix.size());
    const std::size_t slash = member.rfind('/');
    const std::string parent_pointer = member.substr(0, slash);
    const std::string key = UnescapePointerToken(std::string_view(member).substr(slash + 1));
    boost::system::error_code ec;
    json::value* parent = parent_pointer.empty() ? &root : root.find_pointer(parent_pointer, ec);
    if (parent == nullptr || !parent->is_object() || !parent->get_object().contains(key)) {
      return core::Internal("redaction: entity location " + location + " is not a key");
    }
    auto result = RewriteString(location, key, spans, written);
    if (!result.ok()) return result.status();
    const std::string& renamed_key = result.value();
    if (renamed_key == key) return core::Status::Ok();
    json::object& object = parent->get_object();
    if (object.contains(renamed_key)) {
      return core::Status(
          core::StatusCode::kPermissionDenied,
          "redaction would merge two keys at " + parent_pointer + "; the request was not sent",
          "redaction_incomplete");
    }
    json::object renamed(object.storage());
    renamed.reserve(object.size());
    for (auto& m : object) {
      const std::string_view old_name = m.key();
      const std::string_view name = old_name == key ? std::string_view(renamed_key) : old_name;
      renamed.emplace(name, std::move(m.value()));
    }
    *parent = std::move(renamed);
    return core::Status::Ok();
  }

  std::string RewriteInJson(const std::string& pointer, std::string_view text,
                            const std::vector<JsonToken>& tokens, std::vector<Span>& spans) {
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.start < b.start; });
    std::vector<JsonTextSpan> rewrites;
    for (const Span& s : spans) {
      if (!rewrites.empty() && s.start < rewrites.back().end) {
        rewrites.back().end = std::max(rewrites.back().end, s.end);
        continue;
      }
      const std::string* type = s.type;
      rewrites.push_back({s.start, s.end, [this, type, &pointer](std::string_view value) {
                            std::string replacement = Replace(*type, value);
                            json_replacements_[pointer].insert(replacement);
                            return replacement;
                          }});
    }
    return RewriteJsonText(text, tokens, rewrites).text;
  }

  // Where the replacements made so far occur in `text` (JSON-escaped as they are written).
  static std::vector<std::pair<std::size_t, std::size_t>> Occurrences(
      std::string_view text, const std::set<std::string>& replacements) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const std::string& r : replacements) {
      const std::string quoted = boost::json::serialize(json::value(r));
      const std::string_view escaped = std::string_view(quoted).substr(1, quoted.size() - 2);
      if (escaped.empty()) continue;
      for (std::size_t at = text.find(escaped); at != std::string_view::npos;
           at = text.find(escaped, at + 1)) {
        out.emplace_back(at, at + escaped.size());
      }
    }
    return out;
  }

  // The replacement of one value, counted.
  std::string Replace(const std::string& type, std::string_view value) {
    const config::RedactionOperator op = policy_.OperatorFor(type, class_rank_);
    ++summary_.by_type[type];
    ++summary_.by_operator[std::string(config::RedactionOperatorName(op))];
    return ReplacementFor(op, type, value, vault_);
  }

  core::Result<std::string> RewriteString(
      const std::string& pointer, std::string_view text, std::vector<Span>& spans,
      std::vector<std::pair<std::size_t, std::size_t>>& written) {
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
      return a.start < b.start || (a.start == b.start && a.end > b.end);
    });
    // Overlapping spans merge into the first one's type.
    std::vector<Span> merged;
    for (const Span& s : spans) {
      if (!merged.empty() && s.start < merged.back().end) {
        merged.back().end = std::max(merged.back().end, s.end);
      } else {
        merged.push_back(s);
      }
    }
    spans = merged;
    std::vector<std::pair<std::size_t, std::size_t>> new_written;
    std::vector<long> growth;  // per span: replacement size minus span size
    std::string out;
    out.reserve(text.size());
    std::size_t done = 0;
    for (const Span& s : spans) {
      if (s.end > text.size() || s.start >= s.end || !IsUtf8Boundary(text, s.start) ||
          !IsUtf8Boundary(text, s.end)) {
        return core::Internal("redaction: entity span " + std::to_string(s.start) + ".." +
                              std::to_string(s.end) + " does not fit " + pointer);
      }
      out.append(text.substr(done, s.start - done));
      const std::string value = AnswerForm(pointer, text.substr(s.start, s.end - s.start));
      const std::string replacement = Replace(*s.type, value);
      new_written.emplace_back(out.size(), out.size() + replacement.size());
      growth.push_back(static_cast<long>(replacement.size()) - static_cast<long>(s.end - s.start));
      out.append(replacement);
      done = s.end;
    }
    out.append(text.substr(done));
    // Earlier writes move by the net growth of the new spans before them (a new span
    // never overlaps an earlier write: Apply skipped those).
    for (auto [start, end] : written) {
      long shift = 0;
      for (std::size_t i = 0; i < spans.size(); ++i) {
        if (spans[i].end <= start) shift += growth[i];
      }
      new_written.emplace_back(static_cast<std::size_t>(static_cast<long>(start) + shift),
                               static_cast<std::size_t>(static_cast<long>(end) + shift));
    }
    written = std::move(new_written);
    return out;
  }

  const config::RedactionPolicy& policy_;
  int class_rank_;
  PlaceholderVault& vault_;
  RedactionSummary& summary_;
  // Per JSON-text string: every replacement written into it (found again after each pass).
  std::map<std::string, std::set<std::string>> json_replacements_;
};

}  // namespace

RequestRedactor::RequestRedactor(config::ConfigPtr config,
                                 std::shared_ptr<const inspect::Inspector> inspector)
    : config_(std::move(config)), inspector_(std::move(inspector)) {
  const bool has_key = config_->policy.has_value() && !config_->policy->redaction.key.empty();
  key_ = has_key ? config_->policy->redaction.key : ProcessRedactionKey();
}

bool RequestRedactor::Rewrites(std::string_view data_class, bool redact, bool non_local) const {
  if (redact) return true;
  if (!non_local || !config_->policy.has_value()) return false;
  const config::DataClass* c = config_->policy->FindClass(data_class);
  return c != nullptr && c->minimum_context.active();
}

core::Result<PreparedRequest> RequestRedactor::Prepare(const core::ChatRequest& request,
                                                       const core::Facts& facts,
                                                       std::string_view data_class, bool redact,
                                                       bool non_local) const {
  PreparedRequest prepared{request, nullptr, {}};
  const config::DataClass* c =
      config_->policy.has_value() ? config_->policy->FindClass(data_class) : nullptr;
  if (redact) {
    if (c == nullptr || inspector_ == nullptr) {
      return core::Status(
          core::StatusCode::kPermissionDenied,
          "redaction needs a policy with the data class '" + std::string(data_class) + "'",
          "redaction_unavailable");
    }
    auto vault = std::make_shared<PlaceholderVault>(key_, request.session_id.empty()
                                                              ? "req:" + request.request_id
                                                              : "ses:" + request.session_id);
    Rewriter rewriter(config_->policy->redaction, c->rank, *vault, prepared.summary);
    Written written;
    auto first = rewriter.Apply(prepared.request.body, facts.entities, written);
    if (!first.ok()) return first.status();
    for (int scan = 1;; ++scan) {
      core::Facts again = inspector_->Inspect(prepared.request);
      std::vector<core::Entity> missed;
      for (const auto& e : again.entities) {
        if (!Overlaps(written[e.location], e.start, e.end)) missed.push_back(e);
      }
      if (missed.empty()) break;
      if (scan > kRescans) {
        return core::Status(core::StatusCode::kPermissionDenied,
                            "redaction left " + std::to_string(missed.size()) + " " +
                                missed.front().type + " value(s) at " + missed.front().location +
                                " that it could not rewrite; the request was not sent",
                            "redaction_incomplete");
      }
      auto more = rewriter.Apply(prepared.request.body, missed, written);
      if (!more.ok()) return more.status();
    }
    if (!vault->empty()) prepared.vault = std::move(vault);
  }
  if (non_local && c != nullptr && c->minimum_context.active()) {
    ContextTrim trim = ApplyMinimumContext(prepared.request.body, c->minimum_context);
    prepared.summary.messages_dropped = trim.messages_dropped;
    prepared.summary.system_stripped = trim.system_stripped;
  }
  return prepared;
}

}  // namespace lanewise::redact
