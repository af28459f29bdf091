#include "lanes/answer_scan.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>

namespace lanewise::lanes {
namespace {

namespace json = boost::json;
using ec_t = boost::system::error_code;

// SAX handler: depth, the current top-level key and where the top-level "model" string is.
struct ScanHandler {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::string_view text;  // the input: a complete, unescaped string points into it
  int depth = 0;
  std::string key;  // the key being read (pieces joined)
  bool top_key_is_model = false;
  bool string_in_pieces = false;
  bool has_choices = false;
  bool has_error = false;
  int model_keys = 0;
  bool model_is_plain_string = false;
  std::size_t model_at = 0;  // offset of the model string's first byte (inside the quotes)
  std::size_t model_size = 0;
  std::string_view model_value;

  // A value at depth 1 ends the current top-level member's key.
  void TopValue() {
    if (depth == 1) top_key_is_model = false;
  }

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) {
    if (depth == 1 && top_key_is_model) top_key_is_model = false;
    ++depth;
    return true;
  }
  bool on_object_end(std::size_t, ec_t&) {
    --depth;
    return true;
  }
  bool on_array_begin(ec_t&) {
    TopValue();
    ++depth;
    return true;
  }
  bool on_array_end(std::size_t, ec_t&) {
    --depth;
    return true;
  }
  bool on_key_part(std::string_view s, std::size_t, ec_t&) {
    if (depth == 1) key.append(s);
    return true;
  }
  bool on_key(std::string_view s, std::size_t, ec_t&) {
    if (depth != 1) return true;
    std::string_view whole = s;
    if (!key.empty()) {
      key.append(s);
      whole = key;
    }
    top_key_is_model = whole == "model";
    if (top_key_is_model) ++model_keys;
    if (whole == "choices") has_choices = true;
    if (whole == "error") has_error = true;
    key.clear();
    return true;
  }
  bool on_string_part(std::string_view, std::size_t, ec_t&) {
    string_in_pieces = true;
    return true;
  }
  bool on_string(std::string_view s, std::size_t, ec_t&) {
    if (depth == 1 && top_key_is_model && !string_in_pieces && s.data() > text.data() &&
        s.data() + s.size() < text.data() + text.size()) {
      model_is_plain_string = true;
      model_at = static_cast<std::size_t>(s.data() - text.data());
      model_size = s.size();
      model_value = s;
    }
    string_in_pieces = false;
    TopValue();
    return true;
  }
  bool on_number_part(std::string_view, ec_t&) { return true; }
  bool on_int64(std::int64_t, std::string_view, ec_t&) {
    TopValue();
    return true;
  }
  bool on_uint64(std::uint64_t, std::string_view, ec_t&) {
    TopValue();
    return true;
  }
  bool on_double(double, std::string_view, ec_t&) {
    TopValue();
    return true;
  }
  bool on_bool(bool, ec_t&) {
    TopValue();
    return true;
  }
  bool on_null(ec_t&) {
    TopValue();
    return true;
  }
  bool on_comment_part(std::string_view, ec_t&) { return true; }
  bool on_comment(std::string_view, ec_t&) { return true; }
};

void AppendQuoted(std::string& out, std::string_view value) {
  out.push_back('"');
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out.append("\\u00");
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// The rare shapes (an escaped or non-string model, a repeated key): set it through a DOM.
bool ReplaceThroughDom(std::string& text, std::string_view client_model) {
  unsigned char scratch[8192];
  json::monotonic_resource arena(scratch, sizeof scratch);
  ec_t ec;
  json::value doc = json::parse(text, ec, &arena);
  if (ec || !doc.is_object()) return false;
  json::value* model = doc.get_object().if_contains("model");
  if (model == nullptr || (model->is_string() && model->get_string() == client_model)) {
    return false;
  }
  *model = client_model;
  text = json::serialize(doc);
  return true;
}

}  // namespace

AnswerShape ReadAnswer(std::string& text, std::string_view client_model) {
  AnswerShape shape;
  json::basic_parser<ScanHandler> parser{json::parse_options{}};
  parser.handler().text = text;
  ec_t ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = json::make_error_code(json::error::extra_data);
  if (ec) {
    shape.problem = ec.message();
    return shape;
  }
  const ScanHandler& h = parser.handler();
  // The document is an object exactly when its first significant byte opens one.
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{') {
    shape.problem = "not a JSON object";
    return shape;
  }
  shape.object = true;
  shape.has_choices = h.has_choices;
  shape.has_error = h.has_error;
  if (client_model.empty() || h.model_keys == 0) return shape;
  if (h.model_keys == 1 && h.model_is_plain_string) {
    if (h.model_value == client_model) return shape;
    std::string quoted;
    AppendQuoted(quoted, client_model);
    text.replace(h.model_at - 1, h.model_size + 2, quoted);
    shape.model_replaced = true;
    return shape;
  }
  shape.model_replaced = ReplaceThroughDom(text, client_model);
  return shape;
}

}  // namespace lanewise::lanes
