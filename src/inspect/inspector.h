// Inspector: finds sensitive entities in every text of a chat request and scores the
// request's sensitivity. Pure computation, no I/O after Build.
//
// Ownership and threads: an Inspector is built once from InspectorOptions (part of a
// policy snapshot), is immutable afterwards and is shared as shared_ptr<const
// Inspector>; any number of threads may call Inspect/ScanText concurrently. Each thread
// keeps its own Hyperscan scratch (see PatternDatabase). A policy reload builds a new
// Inspector and swaps the pointer; in-flight calls finish on the old one.
//
// Pipeline for each text: normalise (NFKC, format characters removed, digits and
// spaces folded; offsets mapped back) -> a Hyperscan pass over the pattern rules (and
// one over the custom detectors) -> checksums and context checks per candidate -> gazetteer-based
// names, street addresses and places -> overlap resolution -> spans in original bytes.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat_request.h"
#include "core/facts.h"
#include "core/result.h"
#include "inspect/custom_detectors.h"
#include "inspect/detection.h"
#include "inspect/difficulty/difficulty_model.h"
#include "inspect/inspector_options.h"
#include "inspect/rules/pattern_database.h"
#include "inspect/rules/type_table.h"
#include "inspect/text/normalizer.h"

namespace lanewise::inspect {

class GazetteerDetectors;

class Inspector {
 public:
  // Compiles the patterns and loads the gazetteers. Errors: a custom detector whose
  // pattern does not compile (the message names the detector), an unknown type in
  // sensitivity_overrides/disabled_types, a level outside 0..4, a missing gazetteer
  // directory. An empty gazetteer_dir switches PERSON, STREET_ADDRESS and LOCATION off.
  static core::Result<std::shared_ptr<const Inspector>> Build(const InspectorOptions& options);

  ~Inspector();
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  // Facts about the whole request: every entity with its JSON pointer and byte span,
  // counts by type, the sensitivity score, token estimate, tool and vision needs, and
  // the request's hints copied over. Never fails: text that cannot be scanned (which
  // only a Hyperscan failure could cause) is reported as one SECRET-level entity of
  // type "UNSCANNED" so that the policy fails closed.
  core::Facts Inspect(const core::ChatRequest& request) const;

  // Entities in one text, sorted by start, spans in the text's own UTF-8 bytes.
  std::vector<Detection> ScanText(std::string_view text) const;

  // Sensitivity level (0..4) of an entity type under these options; 4 for a type this
  // Inspector does not know (fail closed).
  int SensitivityOf(std::string_view type) const;

 private:
  Inspector() = default;
  // Appends findings for `text` (normalised offsets already mapped to original ones).
  bool Scan(std::string_view text, std::vector<Detection>& out) const;
  // The same for a normalised text whose built-in Hyperscan matches are already in the
  // thread's scan buffers (Scan and Inspect find them, one text or many at a time), and
  // its custom detectors' matches too when `custom_scanned`.
  bool ScanNormalized(const NormalizedText& normalized, std::vector<Detection>& out,
                      bool custom_scanned = false) const;
  // Names, addresses and places; an invisible character between a lower-case and a capital
  // letter counts as a space there.
  void DetectWords(const NormalizedText& normalized, std::vector<Finding>& out) const;

  TypeTable types_;
  // The built-in rules' database is compiled once per process and shared by every
  // Inspector (compiling it takes about a second); the policy's custom detectors get a
  // database of their own, rebuilt with each Inspector. Custom match ids are reported
  // offset by builtin_rule_count_.
  std::shared_ptr<const PatternDatabase> builtin_database_;
  std::shared_ptr<const PatternDatabase> custom_database_;  // null without custom detectors
  // True when every custom detector is a term list: their matches never span two strings
  // joined by a NUL byte, so Inspect scans them in its one call per request too (a pattern
  // may match a NUL or anchor at a string's edges: those are scanned string by string).
  bool custom_terms_only_ = false;
  std::size_t builtin_rule_count_ = 0;
  std::vector<CustomPattern> custom_;  // indexed by custom pattern id
  std::unique_ptr<const GazetteerDetectors> gazetteer_;
  std::shared_ptr<const DifficultyModel> difficulty_;  // null: requests are not scored
};

}  // namespace lanewise::inspect
