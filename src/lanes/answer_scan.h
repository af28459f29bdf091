// A lane's answer (a whole chat completion or one stream event), read without building a
// DOM: is it one JSON object, which top-level keys does it carry, and the client's model
// name written over the lane's own (a llama.cpp server answers with its alias or its model
// file's path; clients get the alias they asked for).
#pragma once

#include <string>
#include <string_view>

namespace lanewise::lanes {

struct AnswerShape {
  bool object = false;  // the text is exactly one JSON object
  std::string problem;  // why not, when !object (the JSON parser's message)
  bool has_choices = false;
  bool has_error = false;
  bool model_replaced = false;
};

// Validates `text` in one pass (no allocation per value). When `client_model` is not empty
// and the top-level "model" is present and differs from it, sets it to `client_model`:
// a plain string is rewritten in place; anything else (escapes, a non-string value, a
// repeated key) through a DOM, as before. A chunk without a model stays without one.
AnswerShape ReadAnswer(std::string& text, std::string_view client_model);

}  // namespace lanewise::lanes
