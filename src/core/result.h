// Result<T>: either a value or a non-ok Status. The data path returns these instead of
// throwing. Accessing value() of an error Result is a programming error (asserted).
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/status.h"

namespace lanewise::core {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT(implicit)
  Result(Status status) : state_(std::in_place_index<1>, std::move(status)) {  // NOLINT
    assert(!std::get<1>(state_).ok() && "a Result error must not be ok");
  }

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(state_);
  }

 private:
  std::variant<T, Status> state_;
};

}  // namespace lanewise::core
