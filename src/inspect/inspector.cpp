#include "inspect/inspector.h"

#include <utf8proc.h>

#include <algorithm>
#include <deque>
#include <utility>

#include "inspect/difficulty/difficulty_facts.h"
#include "inspect/gazetteer/gazetteer_detectors.h"
#include "inspect/overlap_resolver.h"
#include "inspect/request_walker.h"
#include "inspect/rules/pattern_rules.h"
#include "inspect/sensitivity_scorer.h"
#include "inspect/text/digit_shapes.h"
#include "inspect/text/normalizer.h"
#include "inspect/text/text_anchors.h"

namespace lanewise::inspect {
namespace {

// Per-thread buffers reused across calls so that a scan allocates little.
struct ScanBuffers {
  std::vector<RawMatch> matches;
  std::vector<Finding> findings;
};

ScanBuffers& ThreadBuffers() {
  thread_local ScanBuffers buffers;
  return buffers;
}

}  // namespace

Inspector::~Inspector() = default;

namespace {

// What a text that could not be scanned reports: all of it, at the highest level, so
// that the policy fails closed.
Detection Unscanned(std::size_t length) {
  Detection d;
  d.type = "UNSCANNED";
  d.end = length;
  d.confidence = 1.0;
  d.sensitivity = 4;
  return d;
}

}  // namespace

namespace {

core::Result<std::shared_ptr<const PatternDatabase>> CompileBuiltinRules() {
  std::vector<PatternSpec> specs;
  const auto rules = BuiltinRules();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    // Found in C++ by FindDigitShapes and FindTextAnchors.
    if (rules[i].found_by != Finder::kHyperscan) continue;
    PatternSpec spec;
    spec.expression = rules[i].expression;
    spec.flags = rules[i].flags;
    spec.id = static_cast<unsigned int>(i);
    spec.som = rules[i].som;
    specs.push_back(std::move(spec));
  }
  return PatternDatabase::Compile(specs);
}

// Compiled on first use, then shared (thread-safe static initialisation).
const core::Result<std::shared_ptr<const PatternDatabase>>& BuiltinDatabase() {
  static const core::Result<std::shared_ptr<const PatternDatabase>> database =
      CompileBuiltinRules();
  return database;
}

}  // namespace

core::Result<std::shared_ptr<const Inspector>> Inspector::Build(const InspectorOptions& options) {
  std::shared_ptr<Inspector> inspector(new Inspector());
  const auto& builtin = BuiltinDatabase();
  if (!builtin.ok()) {
    return core::Internal("built-in pattern rules do not compile: " + builtin.status().message());
  }
  inspector->builtin_database_ = *builtin;
  inspector->builtin_rule_count_ = BuiltinRules().size();
  std::vector<PatternSpec> custom_specs;
  if (core::Status s = AddCustomDetectors(options.custom_detectors, inspector->types_, custom_specs,
                                          inspector->custom_);
      !s.ok()) {
    return s;
  }
  for (const auto& [name, level] : options.sensitivity_overrides) {
    if (core::Status s = inspector->types_.Override(name, level); !s.ok()) return s;
  }
  for (const auto& name : options.disabled_types) {
    if (core::Status s = inspector->types_.Disable(name); !s.ok()) return s;
  }
  if (!custom_specs.empty()) {
    int failed = -1;
    auto database = PatternDatabase::Compile(custom_specs, &failed);
    if (!database.ok()) {
      const std::string where =
          failed >= 0 && static_cast<std::size_t>(failed) < inspector->custom_.size()
              ? inspector->custom_[static_cast<std::size_t>(failed)].label
              : std::string("custom detectors");
      return core::InvalidArgument(where + ": " + database.status().message(),
                                   "bad_custom_detector");
    }
    inspector->custom_database_ = std::move(database).value();
    inspector->custom_terms_only_ =
        std::all_of(options.custom_detectors.begin(), options.custom_detectors.end(),
                    [](const CustomDetector& d) {
                      return d.pattern.empty() &&
                             std::none_of(d.terms.begin(), d.terms.end(), [](const std::string& t) {
                               return t.find('\0') != std::string::npos;
                             });
                    });
  }
  if (options.gazetteer_dir.empty()) {
    for (TypeId t : {kPerson, kStreetAddress, kLocation}) {
      (void)inspector->types_.Disable(BuiltinTypeName(t));
    }
  } else {
    auto gazetteer = GazetteerDetectors::Load(options.gazetteer_dir);
    if (!gazetteer.ok()) return gazetteer.status();
    inspector->gazetteer_ = std::move(gazetteer).value();
  }
  if (!options.difficulty_weights.empty()) {
    auto model = DifficultyModel::Load(options.difficulty_weights);
    if (!model.ok()) return model.status();
    inspector->difficulty_ = std::move(model).value();
  }
  return std::shared_ptr<const Inspector>(std::move(inspector));
}

bool Inspector::Scan(std::string_view text, std::vector<Detection>& out) const {
  const NormalizedText normalized = Normalize(text);
  ScanBuffers& buffers = ThreadBuffers();
  buffers.matches.clear();
  if (!builtin_database_->Scan(normalized.text(), buffers.matches).ok()) return false;
  return ScanNormalized(normalized, out);
}

bool Inspector::ScanNormalized(const NormalizedText& normalized, std::vector<Detection>& out,
                               bool custom_scanned) const {
  const std::string_view norm = normalized.text();
  ScanBuffers& buffers = ThreadBuffers();
  buffers.findings.clear();
  FindDigitShapes(norm, buffers.matches);
  FindTextAnchors(norm, buffers.matches);
  if (custom_database_ && !custom_scanned) {
    const std::size_t builtin_matches = buffers.matches.size();
    if (!custom_database_->Scan(norm, buffers.matches).ok()) return false;
    for (std::size_t i = builtin_matches; i < buffers.matches.size(); ++i) {
      buffers.matches[i].id += static_cast<unsigned int>(builtin_rule_count_);
    }
  }

  // Several ends per start for open-ended rules: keep the longest (matches sorted by
  // id, start, end descending). Anchor rules have no start: they are sorted by end.
  auto& matches = buffers.matches;
  const auto rules = BuiltinRules();
  for (RawMatch& m : matches) {
    if (m.id < builtin_rule_count_ && !rules[m.id].som) m.from = m.to;
  }
  std::sort(matches.begin(), matches.end(), [](const RawMatch& a, const RawMatch& b) {
    if (a.id != b.id) return a.id < b.id;
    if (a.from != b.from) return a.from < b.from;
    return a.to > b.to;
  });
  RuleScanState state;
  state.hidden_breaks = normalized.hidden_breaks();
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const RawMatch& m = matches[i];
    const bool builtin = m.id < builtin_rule_count_;
    if (i > 0 && matches[i - 1].id == m.id && matches[i - 1].from == m.from) {
      if (matches[i - 1].to == m.to) continue;
      // Longest per start for open-ended built-in rules and for custom detectors.
      if (!builtin || (rules[m.id].longest_only && rules[m.id].som)) continue;
    }
    if (builtin) {
      const PatternRule& rule = rules[m.id];
      if (!types_.Enabled(rule.type)) continue;
      if (auto finding = ApplyRule(rule, norm, m.from, m.to, state)) {
        if (types_.Enabled(finding->type)) buffers.findings.push_back(*finding);
      }
    } else {
      const CustomPattern& custom = custom_[m.id - builtin_rule_count_];
      if (!types_.Enabled(custom.type) || !custom.AtWordEdges(norm, m.from, m.to)) continue;
      Finding f;
      f.type = custom.type;
      f.start = m.from;
      f.end = m.to;
      f.confidence = custom.confidence;
      buffers.findings.push_back(f);
    }
  }
  if (gazetteer_) DetectWords(normalized, buffers.findings);
  ResolveOverlaps(buffers.findings, norm);
  for (const Finding& f : buffers.findings) {
    const auto [start, end] = normalized.ToOriginal(f.start, f.end);
    Detection d;
    d.type = types_.Name(f.type);
    d.start = start;
    d.end = end;
    d.confidence = f.confidence;
    d.sensitivity = types_.Level(f.type);
    d.validated = f.validated;
    out.push_back(std::move(d));
  }
  return true;
}

namespace {

// Offsets of `text` where an invisible character stood between a lower-case and a capital
// letter ("Maria<ZWSP>Garcia"): a word break to the gazetteer detectors.
std::vector<std::uint32_t> CamelBreaks(std::string_view text,
                                       const std::vector<std::uint32_t>& hidden_breaks) {
  std::vector<std::uint32_t> out;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  for (std::uint32_t at : hidden_breaks) {
    if (at == 0 || at >= text.size()) continue;
    std::uint32_t before = at - 1;  // the code point before: back over continuation bytes
    while (before > 0 && (bytes[before] & 0xC0) == 0x80) --before;
    utf8proc_int32_t prev = 0;
    utf8proc_int32_t next = 0;
    utf8proc_iterate(bytes + before, at - before, &prev);
    utf8proc_iterate(bytes + at, static_cast<utf8proc_ssize_t>(text.size() - at), &next);
    if (utf8proc_category(prev) == UTF8PROC_CATEGORY_LL &&
        utf8proc_category(next) == UTF8PROC_CATEGORY_LU) {
      out.push_back(at);
    }
  }
  return out;
}

}  // namespace

void Inspector::DetectWords(const NormalizedText& normalized, std::vector<Finding>& out) const {
  const std::string_view norm = normalized.text();
  const std::vector<std::uint32_t> breaks = CamelBreaks(norm, normalized.hidden_breaks());
  if (breaks.empty()) {
    gazetteer_->Detect(norm, types_, out);
    return;
  }
  // The text with a space at each break; findings are mapped back by the spaces before them.
  std::string spaced;
  spaced.reserve(norm.size() + breaks.size());
  std::size_t done = 0;
  for (std::uint32_t at : breaks) {
    spaced.append(norm.substr(done, at - done));
    spaced.push_back(' ');
    done = at;
  }
  spaced.append(norm.substr(done));
  const std::size_t first = out.size();
  gazetteer_->Detect(spaced, types_, out);
  const auto back = [&breaks](std::uint32_t offset) {
    std::uint32_t inserted = 0;
    while (inserted < breaks.size() && breaks[inserted] + inserted < offset) ++inserted;
    return offset - inserted;
  };
  for (std::size_t i = first; i < out.size(); ++i) {
    out[i].start = back(out[i].start);
    out[i].end = back(out[i].end);
  }
}

std::vector<Detection> Inspector::ScanText(std::string_view text) const {
  std::vector<Detection> out;
  if (!Scan(text, out)) {
    out.clear();
    out.push_back(Unscanned(text.size()));
  }
  return out;
}

int Inspector::SensitivityOf(std::string_view type) const {
  if (auto id = types_.Find(type)) return types_.Level(*id);
  return 4;
}

namespace {

// The strings of a request, normalised, and the built-in patterns' matches in all of them
// from one Hyperscan call: the normalised strings are joined with NUL bytes, which no
// built-in expression matches, so that no match spans two strings and \b sees each
// string's edges as it would alone (a test checks the result equals scanning each
// string by itself). One call instead of one per string saves its fixed cost.
struct RequestTexts {
  std::string pointers;  // every string's JSON pointer, back to back
  std::vector<std::pair<std::size_t, std::size_t>> pointer_spans;
  std::vector<NormalizedText> normalized;
  std::vector<std::uint32_t> starts;  // of each string in `joined`
  std::string joined;

  // Empties the texts, keeping the buffers' capacity (one instance per thread serves
  // every request without allocating again).
  void Clear() {
    // A request of megabytes or of many thousand strings does not keep its buffers for
    // the thread's lifetime.
    constexpr std::size_t kKeptBytes = std::size_t{1} << 20;
    constexpr std::size_t kKeptStrings = 4096;
    if (joined.capacity() > kKeptBytes || pointers.capacity() > kKeptBytes ||
        normalized.capacity() > kKeptStrings) {
      *this = RequestTexts{};
      return;
    }
    pointers.clear();
    pointer_spans.clear();
    normalized.clear();
    starts.clear();
    joined.clear();
  }
  void Add(const std::string& pointer, std::string_view text) {
    pointer_spans.emplace_back(pointers.size(), pointer.size());
    pointers += pointer;
    normalized.push_back(Normalize(text));
    starts.push_back(static_cast<std::uint32_t>(joined.size()));
    joined += normalized.back().text();
    joined += '\0';
  }
  std::string_view Pointer(std::size_t i) const {
    return std::string_view(pointers).substr(pointer_spans[i].first, pointer_spans[i].second);
  }
  // The string a match ending at `to` (in `joined`) belongs to.
  std::size_t Owner(std::uint32_t to) const {
    const auto after = std::upper_bound(starts.begin(), starts.end(), to > 0 ? to - 1 : 0);
    return static_cast<std::size_t>(after - starts.begin()) - 1;
  }
};

// Per-thread state of Inspect, reused across requests so that it allocates little.
struct InspectBuffers {
  RequestTexts texts;
  std::vector<RawMatch> joined_matches;
  std::vector<std::pair<std::size_t, RawMatch>> owned;        // matches with their string
  std::vector<std::pair<std::size_t, Detection>> detections;  // with their string
  std::vector<Detection> of_string;
  std::vector<int> levels;               // of every entity
  std::deque<std::string> number_texts;  // the texts of the request's numbers
};

InspectBuffers& ThreadInspectBuffers() {
  thread_local InspectBuffers buffers;
  return buffers;
}

}  // namespace

core::Facts Inspector::Inspect(const core::ChatRequest& request) const {
  core::Facts facts;
  InspectBuffers& buffers = ThreadInspectBuffers();
  RequestTexts& texts = buffers.texts;
  texts.Clear();
  std::vector<int>& levels = buffers.levels;
  levels.clear();
  buffers.number_texts.clear();
  const RequestShape shape = WalkRequest(
      request.body,
      [&](const std::string& pointer, std::string_view text) { texts.Add(pointer, text); },
      buffers.number_texts);

  // Built-in matches of every string (and custom term matches), tagged with the string
  // and rebased to it.
  std::vector<RawMatch>& joined_matches = buffers.joined_matches;
  joined_matches.clear();
  bool scanned = builtin_database_->Scan(texts.joined, joined_matches).ok();
  const bool custom_scanned = custom_database_ != nullptr && custom_terms_only_;
  if (custom_scanned) {
    const std::size_t builtin_matches = joined_matches.size();
    scanned = custom_database_->Scan(texts.joined, joined_matches).ok() && scanned;
    for (std::size_t i = builtin_matches; i < joined_matches.size(); ++i) {
      joined_matches[i].id += static_cast<unsigned int>(builtin_rule_count_);
    }
  }
  std::vector<std::pair<std::size_t, RawMatch>>& owned = buffers.owned;
  owned.clear();
  for (RawMatch m : joined_matches) {
    const std::size_t owner = texts.Owner(m.to);
    const std::uint32_t base = texts.starts[owner];
    m.from = m.from >= base ? m.from - base : 0;  // anchor rules report no start
    m.to -= base;
    owned.emplace_back(owner, m);
  }
  // Grouped by string. Their order within a string does not matter (ScanNormalized sorts
  // them by rule), and Hyperscan reports in order of end offset as a rule, so the matches
  // are usually grouped already.
  const auto by_string = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(owned.begin(), owned.end(), by_string)) {
    std::sort(owned.begin(), owned.end(), by_string);
  }

  // Every string's detections first (tagged with the string), then the entities in one
  // allocation.
  std::vector<std::pair<std::size_t, Detection>>& detections = buffers.detections;
  detections.clear();
  std::vector<Detection>& of_string = buffers.of_string;
  auto next = owned.begin();
  for (std::size_t i = 0; i < texts.normalized.size(); ++i) {
    std::vector<RawMatch>& matches = ThreadBuffers().matches;
    matches.clear();
    for (; next != owned.end() && next->first == i; ++next) matches.push_back(next->second);
    of_string.clear();
    if (!scanned || !ScanNormalized(texts.normalized[i], of_string, custom_scanned)) {
      of_string.clear();
      of_string.push_back(Unscanned(texts.normalized[i].original().size()));
    }
    for (Detection& d : of_string) detections.emplace_back(i, std::move(d));
  }
  facts.entities.reserve(detections.size());
  for (auto& [i, d] : detections) {
    core::Entity& e = facts.entities.emplace_back();
    e.type = std::move(d.type);
    e.location = std::string(texts.Pointer(i));
    e.start = d.start;
    e.end = d.end;
    e.confidence = d.confidence;
    levels.push_back(d.sensitivity);
  }
  constexpr std::size_t kUsualTypes = 8;
  if (!facts.entities.empty()) facts.entity_counts.reserve(kUsualTypes);
  for (const auto& e : facts.entities) ++facts.entity_counts[e.type];
  for (int level : levels)
    facts.max_entity_sensitivity = std::max(facts.max_entity_sensitivity, level);
  facts.sensitivity_score = SensitivityScorer::Score(levels);
  facts.estimated_input_tokens = (shape.text_bytes + 3) / 4;
  facts.request_id_sensitive =
      request.request_id_from_client && !ScanText(request.request_id).empty();
  facts.needs_tools = shape.needs_tools;
  facts.needs_vision = shape.needs_vision;
  facts.model_alias = request.model_alias;
  if (facts.model_alias.empty()) {
    if (const auto* model = request.body.if_contains("model"); model && model->is_string()) {
      facts.model_alias = std::string(model->get_string());
    }
  }
  facts.declared_data_class = request.declared_data_class;
  facts.latency_tier = request.latency_tier;
  facts.tenant = request.tenant;
  AddDifficultyFacts(difficulty_.get(), request, facts);
  return facts;
}

}  // namespace lanewise::inspect
