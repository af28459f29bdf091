#include "inspect/gazetteer/gazetteer_detectors.h"

#include <filesystem>

#include "inspect/gazetteer/address_detector.h"
#include "inspect/gazetteer/gazetteer.h"
#include "inspect/gazetteer/location_detector.h"
#include "inspect/gazetteer/name_detector.h"
#include "inspect/text/tokenizer.h"

namespace lanewise::inspect {
namespace {

// In mixed-case text every rule of the three detectors starts from a capitalised word
// or a short number (a name or place word, a street word next to one, a house number);
// a text with neither (an enum value, a type name) has nothing to find.
bool NothingToFind(const TokenizedText& t) {
  return !t.lowercase_text() && !t.has_capital_or_short_number();
}

}  // namespace

GazetteerDetectors::GazetteerDetectors(std::shared_ptr<const Gazetteer> gazetteer)
    : gazetteer_(std::move(gazetteer)) {}
GazetteerDetectors::~GazetteerDetectors() = default;

core::Result<std::unique_ptr<const GazetteerDetectors>> GazetteerDetectors::Load(
    const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return core::InvalidArgument("gazetteer directory " + dir + " does not exist", "bad_gazetteer");
  }
  auto gazetteer = Gazetteer::LoadShared(dir);
  if (!gazetteer.ok()) return gazetteer.status();
  return std::unique_ptr<const GazetteerDetectors>(
      new GazetteerDetectors(std::move(gazetteer).value()));
}

void GazetteerDetectors::Detect(std::string_view text, const TypeTable& types,
                                std::vector<Finding>& findings) const {
  const bool person = types.Enabled(kPerson);
  const bool address = types.Enabled(kStreetAddress);
  const bool location = types.Enabled(kLocation);
  if (!person && !address && !location) return;
  // Texts of ordinary size reuse a per-thread tokenizer (no allocation once warm); a
  // large one gets its own, so that a thread does not keep megabytes of buffers.
  constexpr std::size_t kReusedUpTo = 64 * 1024;
  thread_local TokenizedText reused;
  TokenizedText large;
  TokenizedText& tokens = text.size() <= kReusedUpTo ? reused : large;
  tokens.Assign(text);
  if (NothingToFind(tokens)) return;
  const std::size_t before = findings.size();
  if (person) NameDetector(*gazetteer_).Detect(tokens, findings);
  if (address) AddressDetector(*gazetteer_).Detect(tokens, findings);
  if (location) LocationDetector(*gazetteer_).Detect(tokens, findings);
  for (std::size_t i = before; i < findings.size(); ++i) findings[i].trimmable = true;
  // A street address owns the names and places inside it ("Victor Hugo u. 49",
  // "Riisa, Estonia"), unless a title makes the person certain.
  // Kept per thread: no allocation per text.
  thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> addresses;
  addresses.clear();
  for (std::size_t i = before; i < findings.size(); ++i) {
    if (findings[i].type == kStreetAddress)
      addresses.emplace_back(findings[i].start, findings[i].end);
  }
  if (addresses.empty()) return;
  auto inside = [&](const Finding& f) {
    for (const auto& [s, e] : addresses) {
      if (f.start >= s && f.end <= e) return true;
    }
    return false;
  };
  std::size_t keep = before;
  for (std::size_t i = before; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    const bool owned =
        (f.type == kLocation || (f.type == kPerson && f.confidence < 0.9F)) && inside(f);
    if (!owned) findings[keep++] = f;
  }
  findings.resize(keep);
}

}  // namespace lanewise::inspect
