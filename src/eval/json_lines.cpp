#include "eval/json_lines.h"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

namespace lanewise::inspect {

core::Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read \"" + path + "\"");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

core::Status ForEachJsonObjectLine(const std::string& path, const std::string& what,
                                   const std::function<bool(const boost::json::object&)>& row) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  std::istringstream lines(text.value());
  std::string line;
  std::size_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty()) continue;
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(line, ec);
    const boost::json::object* o = ec ? nullptr : v.if_object();
    if (o == nullptr || !row(*o)) {
      return core::InvalidArgument(path + ":" + std::to_string(number) + ": not a " + what);
    }
  }
  return core::Status::Ok();
}

}  // namespace lanewise::inspect
