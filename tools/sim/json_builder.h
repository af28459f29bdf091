// JsonBuilder: appends compact JSON to a string with keys in exactly the order written.
// Used for wire rendering, where the upstream's key order and number formatting matter
// (Boost.JSON would print doubles as 1.5E0; llama.cpp prints 1.5).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lanewise::sim {

class JsonBuilder {
 public:
  JsonBuilder& BeginObject();
  JsonBuilder& EndObject();
  JsonBuilder& BeginArray();
  JsonBuilder& EndArray();
  JsonBuilder& Key(std::string_view key);
  JsonBuilder& String(std::string_view value);
  JsonBuilder& Int(std::int64_t value);
  JsonBuilder& Double(double value);
  JsonBuilder& Bool(bool value);
  JsonBuilder& Null();
  // An already serialized JSON value.
  JsonBuilder& Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();

  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
};

// Appends `value` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view value);
// Shortest round-trip decimal form, as nlohmann::json prints it (0.0 for zero).
std::string FormatDouble(double value);

}  // namespace lanewise::sim
