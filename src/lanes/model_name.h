// The model name in a lane's answer: clients get the alias they asked for, not the lane's
// own model name (a llama.cpp server answers with its alias or its model file's path).
#pragma once

#include <boost/json/object.hpp>
#include <string>

namespace lanewise::lanes {

// When `client_model` is not empty and `doc`'s "model" differs from it, sets it and
// re-serialises `doc` into `text`. Returns whether it changed anything.
bool ReplaceModel(boost::json::object& doc, const std::string& client_model, std::string& text);

}  // namespace lanewise::lanes
