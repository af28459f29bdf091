#include "redact/value_operators.h"

#include <gtest/gtest.h>

namespace lanewise::redact {
namespace {

TEST(MaskValueTest, LongValuesKeepTheirLastFourShortOnesNothing) {
  EXPECT_EQ(MaskValue("4111 1111 1111 1234"), "**** **** **** 1234");
  EXPECT_EQ(MaskValue("DE89370400440532013000"), "******************3000");
  EXPECT_EQ(MaskValue("Ada Lovelace"), "*** ********");
  EXPECT_EQ(MaskValue("+1 (555) 123-4567"), "+* (***) ***-4567");
  EXPECT_EQ(MaskValue("123-45-6789"), "***-**-****");
  EXPECT_EQ(MaskValue("Zoë"), "***");  // a code point is one '*'
}

TEST(ReplacementForTest, EachOperatorRewritesDifferently) {
  PlaceholderVault vault("0123456789abcdef", "req:1");
  const std::string value = "grace@example.org";
  const auto placeholder =
      ReplacementFor(config::RedactionOperator::kPlaceholder, "EMAIL_ADDRESS", value, vault);
  EXPECT_EQ(*vault.ValueOf(placeholder), value);
  const auto hash = ReplacementFor(config::RedactionOperator::kHash, "EMAIL_ADDRESS", value, vault);
  EXPECT_EQ(hash, vault.HashLabel("EMAIL_ADDRESS", value));
  EXPECT_EQ(ReplacementFor(config::RedactionOperator::kMask, "EMAIL_ADDRESS", value, vault),
            MaskValue(value));
  EXPECT_EQ(ReplacementFor(config::RedactionOperator::kDrop, "EMAIL_ADDRESS", value, vault), "");
  for (const auto& out : {placeholder, hash}) {
    EXPECT_EQ(out.find("grace"), std::string::npos) << out;
  }
  EXPECT_EQ(vault.size(), 1u);  // only the placeholder is restorable
}

}  // namespace
}  // namespace lanewise::redact
