#include "redact/request_redactor.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <vector>

#include "inspect/inspector.h"
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
    for (auto& [pointer, spans] : by_location) {
      boost::system::error_code ec;
      json::value* target = root.find_pointer(pointer, ec);
      if (target == nullptr || !target->is_string()) {
        body = std::move(root.get_object());
        return core::Internal("redaction: entity location " + pointer + " is not a string");
      }
      auto result = RewriteString(pointer, target->get_string(), spans, written[pointer]);
      if (!result.ok()) {
        body = std::move(root.get_object());
        return result.status();
      }
      *target = std::move(result.value());
      rewritten += static_cast<int>(spans.size());
    }
    body = std::move(root.get_object());
    return rewritten;
  }

 private:
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
      const config::RedactionOperator op = policy_.OperatorFor(*s.type, class_rank_);
      const std::string replacement = ReplacementFor(op, *s.type, value, vault_);
      new_written.emplace_back(out.size(), out.size() + replacement.size());
      growth.push_back(static_cast<long>(replacement.size()) - static_cast<long>(s.end - s.start));
      out.append(replacement);
      done = s.end;
      ++summary_.by_type[*s.type];
      ++summary_.by_operator[std::string(config::RedactionOperatorName(op))];
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
