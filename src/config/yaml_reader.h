// YamlReader: strict, located access to a parsed YAML document for the config loaders.
//
// A NodeRef pairs a yaml-cpp node (read only through const access) with its path in the
// document ("lanes[1].kind") and the load context. Every accessor validates what it reads
// and, on failure, throws ConfigError whose message already reads
// "<source>:<line>:<col>: <path>: <problem>" (1-based line and column). Exceptions never
// leave the loader: LoadConfig* catch ConfigError and return a Status.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/env_expand.h"

namespace lanewise::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Shared by every NodeRef of one load.
struct LoadContext {
  std::string source_name;  // file path as given, or a name for in-memory text
  EnvLookup env;
  std::vector<std::string> warnings;  // located, same format as errors
};

// "<source>:<line>:<col>" with 1-based numbers; just "<source>" for a null mark.
std::string FormatLocation(const std::string& source, const YAML::Mark& mark);

class NodeRef {
 public:
  NodeRef(YAML::Node node, std::string path, LoadContext* ctx, YAML::Mark fallback_mark);
  NodeRef(const NodeRef&) = default;
  // yaml-cpp's Node::operator= rebinds the shared node inside the document; never assign.
  NodeRef& operator=(const NodeRef&) = delete;

  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }
  LoadContext& context() const { return *ctx_; }
  YAML::Mark mark() const;
  std::string Location() const;  // "file:line:col"

  [[noreturn]] void Fail(std::string_view problem) const;
  void Warn(std::string_view problem) const;

  bool IsNull() const;
  bool IsMap() const { return node_.IsMap(); }
  bool IsSequence() const { return node_.IsSequence(); }
  bool IsScalar() const { return node_.IsScalar(); }
  void ExpectMap() const;
  void ExpectSequence(bool allow_empty = true) const;

  // Map access. Keys must be plain scalars; duplicate keys are errors.
  std::optional<NodeRef> Find(std::string_view key) const;
  NodeRef Require(std::string_view key) const;
  // Fails on the first key not in `allowed` (at the key's position), or on a duplicate.
  void RejectUnknownKeys(std::initializer_list<std::string_view> allowed) const;
  // Key/value pairs of a map whose keys are data (tenant names...); key is unexpanded.
  std::vector<std::pair<NodeRef, NodeRef>> Entries() const;
  // Sequence items; a null node counts as an empty sequence.
  std::vector<NodeRef> Items() const;

  // Scalars. String() expands ${VAR}; the others expand too, then parse strictly.
  std::string RawScalar() const;
  std::string String() const;
  std::string NonEmptyString() const;
  std::int64_t Int(std::int64_t min, std::int64_t max) const;
  double Double(double min, double max) const;
  bool Bool() const;
  // The string value, which must be one of `choices`.
  std::string OneOf(std::initializer_list<std::string_view> choices) const;
  // A string, or a sequence of strings (a single value is a list of one).
  std::vector<std::string> StringList() const;

 private:
  NodeRef Child(YAML::Node node, std::string path) const;
  void ExpectScalar() const;

  YAML::Node node_;
  std::string path_;
  LoadContext* ctx_;
  YAML::Mark fallback_mark_;  // for nodes yaml-cpp left without a position
};

// Parses `text` (throws ConfigError with position on a syntax error) and returns the root.
NodeRef ParseDocument(std::string_view text, LoadContext* ctx);

}  // namespace lanewise::config
