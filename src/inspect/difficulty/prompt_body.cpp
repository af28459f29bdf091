#include "inspect/difficulty/prompt_body.h"

#include <boost/json/array.hpp>

namespace lanewise::inspect {

boost::json::object SingleUserMessage(std::string_view prompt) {
  boost::json::object message;
  message["role"] = "user";
  message["content"] = prompt;
  boost::json::object body;
  body["messages"] = boost::json::array{std::move(message)};
  return body;
}

core::Result<boost::json::object> PromptBody(const boost::json::value& row) {
  if (!row.is_object()) return core::InvalidArgument("expected a JSON object");
  const boost::json::object& object = row.get_object();
  if (object.contains("messages")) return object;
  const boost::json::value* prompt = object.if_contains("prompt");
  if (prompt == nullptr || !prompt->is_string()) {
    return core::InvalidArgument("expected \"messages\" or a string \"prompt\"");
  }
  const boost::json::string& text = prompt->get_string();
  return SingleUserMessage(std::string_view(text.data(), text.size()));
}

}  // namespace lanewise::inspect
