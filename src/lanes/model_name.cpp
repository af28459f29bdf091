#include "lanes/model_name.h"

#include <boost/json/serialize.hpp>

namespace lanewise::lanes {

bool ReplaceModel(boost::json::object& doc, const std::string& client_model, std::string& text) {
  if (client_model.empty()) return false;
  boost::json::value* model = doc.if_contains("model");
  if (model != nullptr && model->is_string() && model->get_string() == client_model) return false;
  if (model == nullptr) return false;  // a chunk without a model stays without one
  *model = client_model;
  text = boost::json::serialize(doc);
  return true;
}

}  // namespace lanewise::lanes
