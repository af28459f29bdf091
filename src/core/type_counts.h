// TypeCounts: how many entities of each type a request holds. A request has a few types,
// so they are kept sorted in one vector (a std::map allocated a node per type on every
// request). The interface is the map's subset the code uses.
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lanewise::core {

class TypeCounts {
 public:
  using value_type = std::pair<std::string, int>;
  using const_iterator = std::vector<value_type>::const_iterator;

  // The count of `type`, added as 0 when absent.
  int& operator[](std::string_view type) {
    auto it = LowerBound(type);
    if (it == entries_.end() || it->first != type) it = entries_.emplace(it, std::string(type), 0);
    return it->second;
  }
  int at(std::string_view type) const {
    const auto it = find(type);
    if (it == end()) throw std::out_of_range("no entity type " + std::string(type));
    return it->second;
  }
  const_iterator find(std::string_view type) const {
    const auto it = LowerBound(type);
    return it != entries_.end() && it->first == type ? it : entries_.end();
  }
  std::size_t count(std::string_view type) const { return find(type) == end() ? 0 : 1; }
  const_iterator begin() const { return entries_.begin(); }  // by type, ascending
  const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void reserve(std::size_t types) { entries_.reserve(types); }

 private:
  std::vector<value_type>::iterator LowerBound(std::string_view type) {
    return std::lower_bound(entries_.begin(), entries_.end(), type,
                            [](const value_type& e, std::string_view t) { return e.first < t; });
  }
  const_iterator LowerBound(std::string_view type) const {
    return std::lower_bound(entries_.begin(), entries_.end(), type,
                            [](const value_type& e, std::string_view t) { return e.first < t; });
  }

  std::vector<value_type> entries_;
};

}  // namespace lanewise::core
