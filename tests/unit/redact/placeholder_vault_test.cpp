#include "redact/placeholder_vault.h"

#include <gtest/gtest.h>

#include <regex>

namespace lanewise::redact {
namespace {

const std::string kKey = "0123456789abcdef-test-key";

TEST(PlaceholderVaultTest, PlaceholderIsTypedAndTagged) {
  PlaceholderVault vault(kKey, "ses:a");
  const std::string p = vault.PlaceholderFor("PERSON", "Ada Lovelace");
  EXPECT_TRUE(std::regex_match(p, std::regex(R"(\[PERSON_[0-9a-f]{8}\])"))) << p;
  ASSERT_NE(vault.ValueOf(p), nullptr);
  EXPECT_EQ(*vault.ValueOf(p), "Ada Lovelace");
}

TEST(PlaceholderVaultTest, SameValueSamePlaceholderAcrossRequestsOfASession) {
  PlaceholderVault first(kKey, "ses:conversation-1");
  PlaceholderVault second(kKey, "ses:conversation-1");
  EXPECT_EQ(first.PlaceholderFor("IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
            second.PlaceholderFor("IBAN_CODE", "DE89370400440532013000"));
  EXPECT_EQ(first.size(), 1u);
}

TEST(PlaceholderVaultTest, SpellingsOfOneValueShareAPlaceholderAndKeepTheFirstForm) {
  PlaceholderVault vault(kKey, "req:1");
  const std::string a = vault.PlaceholderFor("CREDIT_CARD", "4111 1111 1111 1111");
  const std::string b = vault.PlaceholderFor("CREDIT_CARD", "4111-1111-1111-1111");
  EXPECT_EQ(a, b);
  EXPECT_EQ(*vault.ValueOf(a), "4111 1111 1111 1111");
}

TEST(PlaceholderVaultTest, DifferentSessionsAndKeysGiveDifferentPlaceholders) {
  PlaceholderVault a(kKey, "ses:a");
  PlaceholderVault b(kKey, "ses:b");
  PlaceholderVault c("another-key-of-16-bytes", "ses:a");
  const std::string pa = a.PlaceholderFor("PERSON", "Grace Hopper");
  EXPECT_NE(pa, b.PlaceholderFor("PERSON", "Grace Hopper"));
  EXPECT_NE(pa, c.PlaceholderFor("PERSON", "Grace Hopper"));
  // A placeholder from session a means nothing to session b's vault.
  EXPECT_EQ(b.ValueOf(pa), nullptr);
}

TEST(PlaceholderVaultTest, DifferentValuesAndTypesGetDifferentPlaceholders) {
  PlaceholderVault vault(kKey, "req:1");
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    seen.insert(vault.PlaceholderFor("PERSON", "Person Number " + std::to_string(i)));
  }
  seen.insert(vault.PlaceholderFor("EMAIL_ADDRESS", "Person Number 1"));
  EXPECT_EQ(seen.size(), 2001u);
  EXPECT_EQ(vault.size(), 2001u);
}

TEST(PlaceholderVaultTest, TagsAreNeverAllDigits) {
  PlaceholderVault vault(kKey, "req:digits");
  const std::regex digits_only(R"(\[PERSON_[0-9]{8}\])");
  for (int i = 0; i < 3000; ++i) {  // about 2% of raw tags are all digits
    EXPECT_FALSE(
        std::regex_match(vault.PlaceholderFor("PERSON", "P" + std::to_string(i)), digits_only));
  }
}

TEST(PlaceholderVaultTest, HashLabelIsStableAcrossScopesAndNotRestorable) {
  PlaceholderVault a(kKey, "ses:a");
  PlaceholderVault b(kKey, "ses:b");
  const std::string label = a.HashLabel("EMAIL_ADDRESS", "x@example.com");
  EXPECT_TRUE(std::regex_match(label, std::regex(R"(\[EMAIL_ADDRESS#[0-9a-f]{12}\])"))) << label;
  EXPECT_EQ(label, b.HashLabel("EMAIL_ADDRESS", "X@example.com"));
  EXPECT_EQ(a.ValueOf(label), nullptr);
  EXPECT_TRUE(a.empty());
}

TEST(PlaceholderVaultTest, PendingSuffixHoldsOnlyWhatCouldStillBecomeAPlaceholder) {
  PlaceholderVault vault(kKey, "req:1");
  const std::string p = vault.PlaceholderFor("PERSON", "Alan Turing");
  for (std::size_t cut = 1; cut < p.size(); ++cut) {
    EXPECT_EQ(vault.PendingSuffix("Hello " + p.substr(0, cut)), cut) << cut;
  }
  EXPECT_EQ(vault.PendingSuffix("Hello " + p), 0u);        // complete: release
  EXPECT_EQ(vault.PendingSuffix("Hello [PERSON_zz"), 0u);  // cannot be ours
  EXPECT_EQ(vault.PendingSuffix("Hello [EMAIL"), 0u);      // no such type in the vault
  EXPECT_EQ(vault.PendingSuffix("a [b] c"), 0u);
  EXPECT_EQ(vault.PendingSuffix("[[" + p.substr(0, 3)), 3u);  // the latest viable start
  PlaceholderVault empty(kKey, "req:2");
  EXPECT_EQ(empty.PendingSuffix("[PERSON_"), 0u);
}

TEST(CanonicalValueTest, IgnoresCaseSpacesDashesAndParentheses) {
  EXPECT_EQ(CanonicalValue("(555) 123-4567"), CanonicalValue("555 123 4567"));
  EXPECT_EQ(CanonicalValue("Ada LOVELACE"), CanonicalValue("ada lovelace"));
  EXPECT_NE(CanonicalValue("j.smith@x.com"), CanonicalValue("jsmith@x.com"));
}

}  // namespace
}  // namespace lanewise::redact
