#include "redact/restorer.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include "redact/logprobs_restorer.h"

namespace lanewise::redact {
namespace {

void AppendJsonEscaped(std::string& out, std::string_view value) {
  // serialize() of a string yields it quoted and escaped; the quotes are dropped.
  const std::string quoted = boost::json::serialize(boost::json::value(value));
  out.append(quoted, 1, quoted.size() - 2);
}

bool RestoreStrings(boost::json::value& node, const PlaceholderVault& vault, InsertAs mode) {
  bool changed = false;
  if (node.is_string()) {
    const boost::json::string& s = node.get_string();
    if (std::string_view(s).find('[') == std::string_view::npos) return false;
    std::string restored = RestoreText(s, vault, mode);
    if (restored == std::string_view(s)) return false;
    node = restored;
    return true;
  }
  if (node.is_array()) {
    for (auto& item : node.get_array()) changed |= RestoreStrings(item, vault, mode);
  } else if (node.is_object()) {
    for (auto& [key, value] : node.get_object()) {
      if (key == "logprobs") {  // the token-level view of the text
        if (value.is_object()) {
          const std::string before = boost::json::serialize(value);
          RestoreLogprobs(value.get_object(), vault);
          changed |= boost::json::serialize(value) != before;
        }
        continue;
      }
      InsertAs child_mode = key == "arguments" ? InsertAs::kJsonStringContent : mode;
      changed |= RestoreStrings(value, vault, child_mode);
    }
  }
  return changed;
}

}  // namespace

std::string RestoreText(std::string_view text, const PlaceholderVault& vault, InsertAs mode) {
  std::string out;
  out.reserve(text.size());
  const std::size_t longest = vault.max_placeholder_size();
  std::size_t done = 0;
  std::size_t open = text.find('[');
  while (open != std::string_view::npos) {
    std::size_t close = text.find(']', open + 1);
    if (close == std::string_view::npos) break;
    if (close - open + 1 <= longest) {
      if (const std::string* value = vault.ValueOf(text.substr(open, close - open + 1))) {
        out.append(text.substr(done, open - done));
        if (mode == InsertAs::kJsonStringContent) {
          AppendJsonEscaped(out, *value);
        } else {
          out.append(*value);
        }
        done = close + 1;
        open = text.find('[', done);
        continue;
      }
    }
    open = text.find('[', open + 1);
  }
  out.append(text.substr(done));
  return out;
}

core::Result<std::string> RestoreCompletionBody(std::string body, const PlaceholderVault& vault) {
  if (vault.empty()) return body;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) {
    return core::Status(core::StatusCode::kUpstreamProtocol,
                        "the lane's answer is not a JSON object, so redacted values cannot be "
                        "restored",
                        "restore_failed");
  }
  boost::json::value* choices = doc.get_object().if_contains("choices");
  if (choices == nullptr || !RestoreStrings(*choices, vault, InsertAs::kText)) return body;
  return boost::json::serialize(doc);
}

}  // namespace lanewise::redact
