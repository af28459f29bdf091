#include "core/result.h"

#include <gtest/gtest.h>

#include <string>

#include "core/ids.h"

namespace lanewise::core {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgument("not positive", "bad_number");
  return v;
}

TEST(ResultTest, CarriesValueOrStatus) {
  auto good = ParsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  EXPECT_TRUE(good.status().ok());

  auto bad = ParsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().reason(), "bad_number");
  EXPECT_EQ(bad.status().ToString(), "invalid_argument(bad_number): not positive");
}

TEST(IdsTest, HavePrefixAndAreDistinct) {
  std::string a = NewId("req_");
  std::string b = NewId("req_");
  EXPECT_EQ(a.rfind("req_", 0), 0u);
  EXPECT_EQ(a.size(), 4u + 24u);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace lanewise::core
