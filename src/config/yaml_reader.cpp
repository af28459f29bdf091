#include "config/yaml_reader.h"

#include <charconv>
#include <set>

namespace lanewise::config {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

std::string JoinChoices(std::initializer_list<std::string_view> choices) {
  std::string out;
  for (const std::string_view c : choices) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

bool HasMark(const YAML::Mark& mark) {
  return mark.line >= 0 && mark.column >= 0;
}

}  // namespace

std::string FormatLocation(const std::string& source, const YAML::Mark& mark) {
  if (!HasMark(mark)) return source;
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

NodeRef::NodeRef(YAML::Node node, std::string path, LoadContext* ctx, YAML::Mark fallback_mark)
    : node_(std::move(node)), path_(std::move(path)), ctx_(ctx), fallback_mark_(fallback_mark) {}

YAML::Mark NodeRef::mark() const {
  const YAML::Node& n = node_;
  // yaml-cpp positions an empty value at the next token; its key (the fallback) is where
  // the reader should look.
  if (IsNull() && HasMark(fallback_mark_)) return fallback_mark_;
  YAML::Mark m = n.Mark();
  return HasMark(m) ? m : fallback_mark_;
}

std::string NodeRef::Location() const {
  return FormatLocation(ctx_->source_name, mark());
}

void NodeRef::Fail(std::string_view problem) const {
  std::string msg = Location() + ": ";
  if (!path_.empty()) msg += path_ + ": ";
  msg += problem;
  throw ConfigError(msg);
}

void NodeRef::Warn(std::string_view problem) const {
  std::string msg = Location() + ": ";
  if (!path_.empty()) msg += path_ + ": ";
  msg += problem;
  ctx_->warnings.push_back(std::move(msg));
}

bool NodeRef::IsNull() const {
  const YAML::Node& n = node_;
  return !n.IsDefined() || n.IsNull();
}

void NodeRef::ExpectMap() const {
  if (!node_.IsMap()) Fail("expected a mapping (key: value)");
}

void NodeRef::ExpectSequence(bool allow_empty) const {
  if (!node_.IsSequence()) Fail("expected a list");
  if (!allow_empty && node_.size() == 0) Fail("expected a non-empty list");
}

void NodeRef::ExpectScalar() const {
  if (IsNull()) Fail("expected a value, got nothing");
  if (!node_.IsScalar()) Fail("expected a single value, not a list or mapping");
}

NodeRef NodeRef::Child(YAML::Node node, std::string path) const {
  return NodeRef(std::move(node), std::move(path), ctx_, mark());
}

std::optional<NodeRef> NodeRef::Find(std::string_view key) const {
  ExpectMap();
  const YAML::Node& n = node_;
  // yaml-cpp iterators yield temporaries: bind each entry to a named object.
  for (const auto& entry : n) {
    const YAML::Node k(entry.first);
    if (k.IsScalar() && k.Scalar() == key) {
      std::string child_path = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
      // A key with nothing after it has no position of its own: point at the key.
      return NodeRef(entry.second, std::move(child_path), ctx_,
                     HasMark(k.Mark()) ? k.Mark() : mark());
    }
  }
  return std::nullopt;
}

NodeRef NodeRef::Require(std::string_view key) const {
  std::optional<NodeRef> found = Find(key);
  if (!found.has_value()) Fail("missing required key " + Quote(key));
  if (found->IsNull()) found->Fail("expected a value, got nothing");
  return *found;
}

void NodeRef::RejectUnknownKeys(std::initializer_list<std::string_view> allowed) const {
  ExpectMap();
  std::set<std::string, std::less<>> seen;
  const YAML::Node& n = node_;
  for (const auto& entry : n) {
    const YAML::Node k(entry.first);
    NodeRef key_ref = Child(k, path_);
    if (!k.IsScalar()) key_ref.Fail("keys must be plain names");
    const std::string& name = k.Scalar();
    bool known = false;
    for (const std::string_view a : allowed) known = known || a == name;
    if (!known) {
      key_ref.Fail("unknown key " + Quote(name) + " (expected one of: " + JoinChoices(allowed) +
                   ")");
    }
    if (!seen.insert(name).second) key_ref.Fail("duplicate key " + Quote(name));
  }
}

std::vector<std::pair<NodeRef, NodeRef>> NodeRef::Entries() const {
  std::vector<std::pair<NodeRef, NodeRef>> out;
  if (IsNull()) return out;
  ExpectMap();
  std::set<std::string, std::less<>> seen;
  const YAML::Node& n = node_;
  for (const auto& entry : n) {
    const YAML::Node k(entry.first);
    NodeRef key_ref = Child(k, path_);
    if (!k.IsScalar()) key_ref.Fail("keys must be plain names");
    const std::string& name = k.Scalar();
    if (!seen.insert(name).second) key_ref.Fail("duplicate key " + Quote(name));
    std::string child_path = path_.empty() ? name : path_ + "." + name;
    out.emplace_back(key_ref, NodeRef(entry.second, std::move(child_path), ctx_, k.Mark()));
  }
  return out;
}

std::vector<NodeRef> NodeRef::Items() const {
  std::vector<NodeRef> out;
  if (IsNull()) return out;
  ExpectSequence();
  const YAML::Node& n = node_;
  std::size_t i = 0;
  for (const auto& item : n) {
    out.push_back(Child(YAML::Node(item), path_ + "[" + std::to_string(i++) + "]"));
  }
  return out;
}

std::string NodeRef::RawScalar() const {
  ExpectScalar();
  return node_.Scalar();
}

std::string NodeRef::String() const {
  core::Result<std::string> expanded = ExpandEnv(RawScalar(), ctx_->env);
  if (!expanded.ok()) Fail(expanded.status().message());
  return std::move(expanded).value();
}

std::string NodeRef::NonEmptyString() const {
  std::string s = String();
  if (s.empty()) Fail("must not be empty");
  return s;
}

std::int64_t NodeRef::Int(std::int64_t min, std::int64_t max) const {
  const std::string s = String();
  std::int64_t value = 0;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (first != last && *first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || first == last) {
    Fail("expected an integer, got " + Quote(s));
  }
  if (value < min || value > max) {
    Fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
  }
  return value;
}

double NodeRef::Double(double min, double max) const {
  const std::string s = String();
  double value = 0;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (first != last && *first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || first == last) {
    Fail("expected a number, got " + Quote(s));
  }
  if (!(value >= min && value <= max)) {
    Fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
  }
  return value;
}

bool NodeRef::Bool() const {
  const std::string s = String();
  if (s == "true") return true;
  if (s == "false") return false;
  Fail("expected true or false, got " + Quote(s));
}

std::string NodeRef::OneOf(std::initializer_list<std::string_view> choices) const {
  std::string s = String();
  for (const std::string_view c : choices) {
    if (c == s) return s;
  }
  Fail("expected one of " + JoinChoices(choices) + ", got " + Quote(s));
}

std::vector<std::string> NodeRef::StringList() const {
  std::vector<std::string> out;
  if (IsNull()) return out;
  if (IsScalar()) {
    out.push_back(NonEmptyString());
    return out;
  }
  for (const NodeRef& item : Items()) out.push_back(item.NonEmptyString());
  return out;
}

NodeRef ParseDocument(std::string_view text, LoadContext* ctx) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return NodeRef(std::move(root), "", ctx, YAML::Mark());
  } catch (const YAML::ParserException& e) {
    throw ConfigError(FormatLocation(ctx->source_name, e.mark) + ": YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw ConfigError(FormatLocation(ctx->source_name, e.mark) + ": YAML error: " + e.msg);
  }
}

}  // namespace lanewise::config
