// Test support: loading llama-server captures and reducing JSON to its structure
// (keys in order and value kinds, not values) so that outputs can be compared.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace lanewise::sim::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string CapturePath(std::string_view name) {
  return std::string(LANEWISE_CAPTURE_DIR) + "/" + std::string(name);
}

struct Capture {
  int status = 0;
  std::vector<std::string> header_names;  // lower-case, in order
  std::string body;
};

inline std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Parses "HTTP/1.1 200 OK\r\nName: value\r\n...\r\n\r\nbody".
inline Capture ParseHttp(const std::string& raw) {
  Capture capture;
  const std::size_t head_end = raw.find("\r\n\r\n");
  const std::string head = raw.substr(0, head_end);
  capture.body = head_end == std::string::npos ? "" : raw.substr(head_end + 4);
  std::size_t line_start = 0;
  bool first = true;
  while (line_start < head.size()) {
    std::size_t line_end = head.find("\r\n", line_start);
    if (line_end == std::string::npos) line_end = head.size();
    const std::string line = head.substr(line_start, line_end - line_start);
    if (first) {
      capture.status = std::stoi(line.substr(9, 3));
      first = false;
    } else {
      capture.header_names.push_back(Lower(line.substr(0, line.find(':'))));
    }
    line_start = line_end + 2;
  }
  return capture;
}

inline Capture LoadCapture(std::string_view name) {
  return ParseHttp(ReadFile(CapturePath(name)));
}

// The payloads of "data: ...\n\n" frames, in order.
inline std::vector<std::string> SseData(std::string_view body) {
  std::vector<std::string> frames;
  std::size_t pos = 0;
  while ((pos = body.find("data: ", pos)) != std::string_view::npos) {
    const std::size_t end = body.find("\n\n", pos);
    frames.emplace_back(body.substr(pos + 6, end - pos - 6));
    if (end == std::string_view::npos) break;
    pos = end + 2;
  }
  return frames;
}

// The structure of a JSON value: {"key":<shape>,...} with keys in order, arrays as the
// shape of their first element, scalars as their kind (int and double differ).
inline std::string Shape(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "bool";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "int";
    case boost::json::kind::double_:
      return "double";
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::array: {
      const auto& array = value.get_array();
      return array.empty() ? "[]" : "[" + Shape(array.front()) + "]";
    }
    case boost::json::kind::object: {
      std::string out = "{";
      for (const auto& [key, item] : value.get_object()) {
        if (out.size() > 1) out += ",";
        out += std::string(key) + ":" + Shape(item);
      }
      return out + "}";
    }
  }
  return "?";
}

inline std::string Shape(std::string_view json) {
  if (json == "[DONE]") return "[DONE]";
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(json, ec);
  if (ec) return "<invalid json>";
  return Shape(value);
}

// Shapes of a stream's frames with consecutive repeats collapsed ("x+" for a run).
inline std::vector<std::string> StreamShape(const std::vector<std::string>& frames) {
  std::vector<std::string> shapes;
  for (const auto& frame : frames) {
    std::string shape = Shape(frame);
    if (!shapes.empty() && (shapes.back() == shape || shapes.back() == shape + "+")) {
      if (shapes.back() == shape) shapes.back() += "+";
      continue;
    }
    shapes.push_back(std::move(shape));
  }
  return shapes;
}

}  // namespace lanewise::sim::testing
