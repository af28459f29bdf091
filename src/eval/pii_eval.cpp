#include "eval/pii_eval.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "inspect/inspector.h"

namespace lanewise::inspect {
namespace {

struct Span {
  std::string type;  // our type, or "" for a label we do not score (neutral)
  std::size_t start;
  std::size_t end;
};

struct Counts {
  int gold = 0;
  int gold_found = 0;
  int gold_exact = 0;
  int pred = 0;
  int pred_true = 0;
};

struct Example {
  std::string kind;  // "miss" or "false positive"
  std::string text;
  std::size_t start;
  std::size_t end;
};

using Table = std::map<std::string, Counts>;

// presidio-synth labels -> ours; labels not listed are neutral (not scored).
std::string MapSynthLabel(const std::string& label) {
  static const std::map<std::string, std::string> kMap = {
      {"PERSON", "PERSON"},
      {"STREET_ADDRESS", "STREET_ADDRESS"},
      {"ADDRESS", "STREET_ADDRESS"},
      {"GPE", "LOCATION"},
      {"LOCATION", "LOCATION"},
      {"CREDIT_CARD", "CREDIT_CARD"},
      {"PHONE_NUMBER", "PHONE_NUMBER"},
      {"EMAIL_ADDRESS", "EMAIL_ADDRESS"},
      {"IBAN_CODE", "IBAN_CODE"},
      {"US_SSN", "US_SSN"},
      {"IP_ADDRESS", "IP_ADDRESS"},
  };
  const auto it = kMap.find(label);
  return it == kMap.end() ? std::string() : it->second;
}

// presidio-recognizer-cases entity names -> ours; cases of other recognizers are skipped.
std::string MapCaseLabel(const std::string& label) {
  static const std::map<std::string, std::string> kMap = {
      {"CREDIT_CARD", "CREDIT_CARD"}, {"IBAN_CODE", "IBAN_CODE"},
      {"US_SSN", "US_SSN"},           {"EMAIL_ADDRESS", "EMAIL_ADDRESS"},
      {"IP_ADDRESS", "IP_ADDRESS"},   {"PHONE_NUMBER", "PHONE_NUMBER"},
      {"MAC_ADDRESS", "MAC_ADDRESS"}, {"URL", "URL"},
      {"CRYPTO", "CRYPTO"},           {"UK_NINO", "UK_NINO"},
      {"DE_TAX_ID", "DE_TAX_ID"},     {"ES_NIE", "ES_NIE"},
      {"ES_NIF", "ES_DNI"},           {"IT_FISCAL_CODE", "IT_FISCAL_CODE"},
      {"IN_AADHAAR", "IN_AADHAAR"},
  };
  const auto it = kMap.find(label);
  return it == kMap.end() ? std::string() : it->second;
}

// Byte offset of every code point index (plus one past the end).
std::vector<std::size_t> CodePointOffsets(const std::string& s) {
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(s.size());
  return offsets;
}

bool Overlaps(std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1) {
  return a0 < b1 && b0 < a1;
}

std::optional<boost::json::value> ReadJson(const std::string& path, std::ostream& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out << "cannot read " << path << "\n";
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(buffer.str(), ec);
  if (ec) {
    out << "cannot parse " << path << ": " << ec.message() << "\n";
    return std::nullopt;
  }
  return v;
}

class Scorer {
 public:
  Scorer(const PiiEvalOptions& options, std::ostream& out) : options_(options), out_(out) {}

  // Scores one text: `gold` holds mapped and neutral spans; predictions are restricted
  // to `scored` types when given.
  void Score(const std::string& text, const std::vector<Span>& gold,
             const std::vector<Detection>& predictions, Table& table,
             const std::vector<std::string>* scored) {
    for (const Span& g : gold) {
      if (g.type.empty()) continue;
      Counts& c = table[g.type];
      ++c.gold;
      bool found = false;
      bool exact = false;
      for (const Detection& p : predictions) {
        if (p.type != g.type || !Overlaps(p.start, p.end, g.start, g.end)) continue;
        found = true;
        exact = exact || (p.start == g.start && p.end == g.end);
      }
      c.gold_found += found ? 1 : 0;
      c.gold_exact += exact ? 1 : 0;
      if (!found) Note(g.type, "miss", text, g.start, g.end);
    }
    for (const Detection& p : predictions) {
      if (scored != nullptr) {
        bool in = false;
        for (const auto& t : *scored) in = in || t == p.type;
        if (!in) continue;
      }
      bool same_type = false;
      bool neutral = false;
      for (const Span& g : gold) {
        if (!Overlaps(p.start, p.end, g.start, g.end)) continue;
        if (g.type == p.type) same_type = true;
        if (g.type.empty()) neutral = true;
      }
      if (!same_type && neutral) continue;  // overlaps only labels we do not score
      Counts& c = table[p.type];
      ++c.pred;
      c.pred_true += same_type ? 1 : 0;
      if (!same_type) Note(p.type, "false positive", text, p.start, p.end);
    }
  }

  void PrintExamples() {
    if (examples_.empty()) return;
    out_ << "\nExamples (" << options_.examples << " per type and kind at most):\n";
    for (const auto& [type, list] : examples_) {
      for (const Example& e : list) {
        const std::size_t from = e.start > 40 ? e.start - 40 : 0;
        std::string context = e.text.substr(from, e.end + 40 - from);
        for (char& c : context) {
          if (c == '\n') c = '|';
        }
        out_ << "  " << type << " " << e.kind << ": [" << e.text.substr(e.start, e.end - e.start)
             << "] in: " << context << "\n";
      }
    }
  }

 private:
  void Note(const std::string& type, const std::string& kind, const std::string& text,
            std::size_t start, std::size_t end) {
    if (options_.examples <= 0) return;
    if (!options_.example_type.empty() && options_.example_type != type) return;
    auto& list = examples_[type];
    int n = 0;
    for (const auto& e : list) n += e.kind == kind ? 1 : 0;
    if (n < options_.examples) list.push_back({kind, text, start, end});
  }

  const PiiEvalOptions& options_;
  std::ostream& out_;
  std::map<std::string, std::vector<Example>> examples_;
};

double Ratio(int a, int b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / b;
}

void PrintTable(const std::string& title, const Table& table, std::ostream& out) {
  out << "\n" << title << "\n";
  out << "  type                  gold  found   pred   true  precision  recall     F1  exact\n";
  char line[160];
  for (const auto& [type, c] : table) {
    const double p = Ratio(c.pred_true, c.pred);
    const double r = Ratio(c.gold_found, c.gold);
    const double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
    std::snprintf(line, sizeof(line),
                  "  %-20s %5d  %5d  %5d  %5d      %5.3f   %5.3f  %5.3f  %5.3f\n", type.c_str(),
                  c.gold, c.gold_found, c.pred, c.pred_true, p, r, f1, Ratio(c.gold_exact, c.gold));
    out << line;
  }
}

bool EvalSynth(const Inspector& inspector, const std::string& path, Scorer& scorer, Table& table,
               int& texts, std::ostream& out) {
  auto json = ReadJson(path, out);
  if (!json || !json->is_array()) return false;
  for (const auto& record : json->as_array()) {
    const auto& obj = record.as_object();
    const std::string text(obj.at("full_text").as_string());
    const auto offsets = CodePointOffsets(text);
    std::vector<Span> gold;
    for (const auto& s : obj.at("spans").as_array()) {
      const auto& span = s.as_object();
      const auto cp_start = static_cast<std::size_t>(span.at("start_position").to_number<double>());
      const auto cp_end = static_cast<std::size_t>(span.at("end_position").to_number<double>());
      if (cp_end >= offsets.size() || cp_start > cp_end) continue;
      gold.push_back({MapSynthLabel(std::string(span.at("entity_type").as_string())),
                      offsets[cp_start], offsets[cp_end]});
    }
    scorer.Score(text, gold, inspector.ScanText(text), table, nullptr);
    ++texts;
  }
  return true;
}

bool EvalCases(const Inspector& inspector, const std::string& path, Scorer& scorer, Table& table,
               int& cases, int& skipped, std::ostream& out) {
  std::ifstream in(path);
  if (!in) {
    out << "cannot read " << path << "\n";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const auto& obj = v.as_object();
    std::vector<std::string> types;
    bool unsupported = false;
    for (const auto& e : obj.at("entities").as_array()) {
      const std::string mapped = MapCaseLabel(std::string(e.as_string()));
      if (mapped.empty()) unsupported = true;
      types.push_back(mapped);
    }
    if (unsupported || types.empty()) {
      ++skipped;
      continue;
    }
    ++cases;
    const std::string text(obj.at("text").as_string());
    const auto predictions = inspector.ScanText(text);
    const auto& spans = obj.at("expected_spans");
    const int expected_count = static_cast<int>(obj.at("expected_count").to_number<double>());
    if (spans.is_null() || (spans.as_array().empty() && expected_count > 0)) {  // count only
      const int expected = static_cast<int>(obj.at("expected_count").to_number<double>());
      int predicted = 0;
      for (const auto& p : predictions) {
        for (const auto& t : types) predicted += p.type == t ? 1 : 0;
      }
      Counts& c = table[types.front()];
      c.gold += expected;
      c.gold_found += std::min(expected, predicted);
      c.gold_exact += std::min(expected, predicted);
      c.pred += predicted;
      c.pred_true += std::min(expected, predicted);
      continue;
    }
    const auto offsets = CodePointOffsets(text);
    std::vector<Span> gold;
    const int expected = static_cast<int>(obj.at("expected_count").to_number<double>());
    if (expected > 0) {
      for (const auto& s : spans.as_array()) {
        const auto& pair = s.as_array();
        const auto a = static_cast<std::size_t>(pair.at(0).to_number<double>());
        const auto b = static_cast<std::size_t>(pair.at(1).to_number<double>());
        if (b >= offsets.size() || a > b) continue;
        gold.push_back({types.front(), offsets[a], offsets[b]});
      }
    }
    scorer.Score(text, gold, predictions, table, &types);
  }
  return true;
}

// Texts with no address in them (cards, ids, tracking numbers, blocks...): every
// STREET_ADDRESS found there is false. Prints the finds per 1,000 texts and examples.
bool EvalNoAddress(const Inspector& inspector, const std::string& path, std::ostream& out) {
  std::ifstream in(path);
  if (!in) {
    out << "cannot read " << path << "\n";
    return false;
  }
  int texts = 0;
  int finds = 0;
  std::vector<std::string> examples;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(line, ec);
    if (ec || !doc.is_object() || !doc.as_object().contains("text")) continue;
    const std::string text(doc.at("text").as_string());
    ++texts;
    for (const Detection& d : inspector.ScanText(text)) {
      if (d.type != "STREET_ADDRESS") continue;
      ++finds;
      if (examples.size() < 5) examples.push_back(text.substr(d.start, d.end - d.start));
    }
  }
  out << "\nno-address texts (" << texts << "): STREET_ADDRESS false finds " << finds << ", "
      << std::fixed << std::setprecision(1) << (texts > 0 ? 1000.0 * finds / texts : 0.0)
      << " per 1,000 texts";
  for (const std::string& e : examples) out << "\n  e.g. [" << e << "]";
  out << "\n";
  return true;
}

}  // namespace

int RunPiiEval(const PiiEvalOptions& options, std::ostream& out) {
  InspectorOptions inspector_options;
  inspector_options.gazetteer_dir = options.gazetteer_dir;
  const auto built = Inspector::Build(inspector_options);
  if (!built.ok()) {
    out << "cannot build the inspector: " << built.status().ToString() << "\n";
    return 1;
  }
  const Inspector& inspector = **built;
  Scorer scorer(options, out);

  const auto started = std::chrono::steady_clock::now();
  Table synth;
  int texts = 0;
  for (const char* file : {"synth_dataset_v2.json", "generated_large.json"}) {
    if (!EvalSynth(inspector, options.data_dir + "/presidio-synth/" + file, scorer, synth, texts,
                   out)) {
      return 1;
    }
  }
  Table cases;
  int case_count = 0;
  int skipped = 0;
  if (!EvalCases(inspector,
                 options.data_dir + "/presidio-recognizer-cases/presidio_recognizer_cases.jsonl",
                 scorer, cases, case_count, skipped, out)) {
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  out << "PII detection, span level (a gold span is found when a prediction of the same type\n"
         "overlaps it; a prediction is true when it overlaps a gold span of its type, and is\n"
         "not counted when it overlaps only spans of labels we do not score).";
  PrintTable("presidio-synth (" + std::to_string(texts) + " texts)", synth, out);
  PrintTable("presidio-recognizer-cases (" + std::to_string(case_count) + " cases of " +
                 std::to_string(case_count + skipped) + "; other recognizers' cases skipped)",
             cases, out);
  int must_gold = 0;
  int must_found = 0;
  for (const Table* t : {&synth, &cases}) {
    for (const auto& [type, c] : *t) {
      if (inspector.SensitivityOf(type) >= 3) {
        must_gold += c.gold;
        must_found += c.gold_found;
      }
    }
  }
  out << "\nMust-not-leave types (default level >= 3), recall over both sets: " << std::fixed
      << std::setprecision(3) << Ratio(must_found, must_gold) << " (" << must_found << "/"
      << must_gold << ")\n";
  if (!EvalNoAddress(inspector, options.data_dir + "/no-address/texts.jsonl", out)) return 1;
  out << "Scanned in " << std::setprecision(2) << std::fixed << seconds << " s\n";
  scorer.PrintExamples();
  return 0;
}

}  // namespace lanewise::inspect
