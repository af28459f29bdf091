// Valid and invalid vectors for the checksum and structure validators.
#include <gtest/gtest.h>

#include "inspect/rules/card_validator.h"
#include "inspect/rules/iban_validator.h"
#include "inspect/rules/national_ids.h"
#include "inspect/rules/network_validators.h"

namespace lanewise::inspect {
namespace {

TEST(CardValidatorTest, LuhnAndIssuers) {
  // Well-known test numbers published by the card schemes and payment processors.
  for (const char* number :
       {"4111111111111111", "5555555555554444", "378282246310005", "6011111111111117",
        "3530111333300000", "30569309025904", "2221000000000009", "4012888888881881",
        "4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005"}) {
    EXPECT_TRUE(CardNumberValid(number)) << number;
  }
  EXPECT_EQ(CardIssuer("4111111111111111"), "visa");
  EXPECT_EQ(CardIssuer("378282246310005"), "amex");
  EXPECT_EQ(CardIssuer("2221000000000009"), "mastercard");
  EXPECT_FALSE(CardNumberValid("4111111111111112"));        // Luhn fails
  EXPECT_FALSE(CardNumberValid("1234567812345670"));        // Luhn ok, no issuer
  EXPECT_TRUE(CardNumberValid("1234567812345670", false));  // ...unless not required
  EXPECT_FALSE(CardNumberValid("4111-1111 1111-1111"));     // mixed separators
  EXPECT_TRUE(CardNumberValid("4111.1111.1111.1111"));      // dots as group separators
  EXPECT_FALSE(CardNumberValid("4111.1111 1111.1111"));     // ...but one kind per number
  EXPECT_FALSE(CardNumberValid("411 1111 1111 11111"));     // first group not four digits
  EXPECT_FALSE(CardNumberValid("41111111111"));             // too short
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("79927398710"));
}

TEST(IbanValidatorTest, LengthsAndMod97) {
  EXPECT_EQ(IbanLength("DE"), 22);
  EXPECT_EQ(IbanLength("NO"), 15);
  EXPECT_EQ(IbanLength("US"), 0);
  for (const char* iban :
       {"GB82WEST12345698765432", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
        "FR1420041010050500013M02606", "NL91ABNA0417164300", "gb82west12345698765432",
        "NO9386011117947", "BE68539007547034"}) {
    EXPECT_TRUE(IbanCandidateValid(iban)) << iban;
  }
  EXPECT_FALSE(IbanCandidateValid("GB82WEST12345698765433"));        // check digits
  EXPECT_FALSE(IbanCandidateValid("DE8937040044053201300"));         // length for DE
  EXPECT_FALSE(IbanCandidateValid("GB82 WEST 1234 5698 7654 3 2"));  // bad grouping
  // Mixed case is a disguise: mod-97 decides (a restricted type stays local when in doubt).
  EXPECT_TRUE(IbanCandidateValid("GB82 west 1234 5698 7654 32"));
  EXPECT_TRUE(IbanCandidateValid("gB82.WeSt.1234.5698.7654.32"));
  EXPECT_FALSE(IbanCandidateValid("gB82 WeSt 1234 5698 7654 33"));
  EXPECT_FALSE(IbanCandidateValid("XX82WEST12345698765432"));  // unknown country
}

TEST(NationalIdTest, UsSsn) {
  for (const char* ssn :
       {"536-22-1234", "078-05-1123", "078.05.1123", "078 05 1123", "536221234"}) {
    EXPECT_TRUE(UsSsnValid(ssn)) << ssn;
  }
  for (const char* ssn :
       {"000-12-3456", "666-12-3456", "900-12-3456", "987-65-4321", "536-00-1234", "536-22-0000",
        "078-05-1120", "219-09-9999", "123-45-6789", "111-11-1111", "536-22.1234", "53-622-1234"}) {
    EXPECT_FALSE(UsSsnValid(ssn)) << ssn;
  }
}

TEST(NationalIdTest, UkNino) {
  EXPECT_TRUE(UkNinoValid("AB 12 34 56 C"));
  EXPECT_TRUE(UkNinoValid("ab123456c"));
  EXPECT_TRUE(UkNinoValid("PR 123612C"));
  EXPECT_FALSE(UkNinoValid("DA 12 34 56 A"));  // D never first
  EXPECT_FALSE(UkNinoValid("AO 12 34 56 A"));  // O never second
  EXPECT_FALSE(UkNinoValid("GB 12 34 56 A"));  // unallocated pair
  EXPECT_FALSE(UkNinoValid("AB 12 34 56 E"));  // suffix A-D
  EXPECT_FALSE(UkNinoValid("AB 12 34 5 C"));
}

TEST(NationalIdTest, GermanTaxId) {
  EXPECT_TRUE(DeTaxIdValid("86095742719"));
  EXPECT_TRUE(DeTaxIdValid("86 095 742 719"));
  EXPECT_TRUE(DeTaxIdValid("12345678911"));
  EXPECT_FALSE(DeTaxIdValid("86095742718"));  // check digit
  EXPECT_FALSE(DeTaxIdValid("65742390182"));  // no digit repeated in the first ten
  EXPECT_FALSE(DeTaxIdValid("47123896126"));  // two digits repeated
  EXPECT_FALSE(DeTaxIdValid("11112345678"));  // a digit four times
  EXPECT_FALSE(DeTaxIdValid("02345678901"));  // leading zero
  // Check digit only (used next to a tax id label): sample numbers without a repeated digit.
  EXPECT_TRUE(DeTaxIdCheckDigitValid("12345678903"));
  EXPECT_TRUE(DeTaxIdCheckDigitValid("86095742719"));
  EXPECT_FALSE(DeTaxIdCheckDigitValid("12345678904"));
  EXPECT_FALSE(DeTaxIdCheckDigitValid("02345678901"));
}

TEST(NationalIdTest, SpanishDniAndNie) {
  EXPECT_TRUE(EsDniValid("12345678Z"));
  EXPECT_TRUE(EsDniValid("12345678-z"));
  EXPECT_FALSE(EsDniValid("12345678A"));
  EXPECT_TRUE(EsNieValid("X1234567L"));
  EXPECT_TRUE(EsNieValid("Y-7654321-G"));
  EXPECT_FALSE(EsNieValid("X1234567M"));
  EXPECT_FALSE(EsNieValid("W1234567L"));
  EXPECT_TRUE(EsNieValid("x1234567l"));  // letters in either case
}

TEST(NationalIdTest, ItalianFiscalCode) {
  EXPECT_TRUE(ItFiscalCodeValid("RSSMRA85T10A562S"));
  EXPECT_TRUE(ItFiscalCodeValid("rssmra85t10a562s"));
  EXPECT_FALSE(ItFiscalCodeValid("RSSMRA85T10A562T"));  // check character
  EXPECT_FALSE(ItFiscalCodeValid("RSSMRA85Z10A562S"));  // no month Z
  EXPECT_FALSE(ItFiscalCodeValid("R5SMRA85T10A562S"));  // digit in a letter place
}

TEST(NationalIdTest, AadhaarVerhoeff) {
  EXPECT_TRUE(VerhoeffValid("2363"));
  EXPECT_FALSE(VerhoeffValid("2364"));
  EXPECT_TRUE(AadhaarValid("400123456787"));
  EXPECT_TRUE(AadhaarValid("3998 7654 3211"));
  EXPECT_TRUE(AadhaarValid("3998-7654-3211"));
  EXPECT_FALSE(AadhaarValid("400123456788"));    // check digit
  EXPECT_FALSE(AadhaarValid("123456789012"));    // starts with 1
  EXPECT_FALSE(AadhaarValid("3998 7654-3211"));  // mixed separators
}

TEST(NetworkValidatorTest, Email) {
  EXPECT_TRUE(EmailValid("info@presidio.site"));
  EXPECT_TRUE(EmailValid("first.last+tag@mail.example.co.uk"));
  EXPECT_TRUE(EmailValid("user@xn--80ak6aa92e.com"));
  EXPECT_FALSE(EmailValid("info@presidio."));
  EXPECT_FALSE(EmailValid("a..b@example.com"));
  EXPECT_FALSE(EmailValid("user@localhost"));
  EXPECT_FALSE(EmailValid("user@-bad.com"));
}

TEST(NetworkValidatorTest, Ipv4) {
  EXPECT_TRUE(Ipv4Valid("192.168.0.1"));
  EXPECT_TRUE(Ipv4Valid("255.255.255.255"));
  EXPECT_FALSE(Ipv4Valid("256.1.1.1"));
  EXPECT_FALSE(Ipv4Valid("192.168.1"));
  EXPECT_FALSE(Ipv4Valid("01.2.3.4"));
}

TEST(NetworkValidatorTest, Ipv6) {
  auto whole = [](std::string_view s) { return Ipv6Length(s, 0) == s.size(); };
  for (const char* ip : {"2001:db8::1", "::1", "::", "fe80::1",
                         "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "::ffff:192.0.2.1",
                         "64:ff9b::192.0.2.1", "1:2:3:4:5:6:7::", "0:0:0:0:0:FFFF:129.144.52.38"}) {
    EXPECT_TRUE(whole(ip)) << ip;
  }
  EXPECT_EQ(Ipv6Length("12:34:56", 0), 0u);           // a time
  EXPECT_EQ(Ipv6Length("aa:bb:cc:dd:ee:ff", 0), 0u);  // a MAC address
  EXPECT_EQ(Ipv6Length("2001::db8::1", 0), 9u);       // stops before the second "::"
  EXPECT_EQ(Ipv6Length("1:2:3:4:5:6:7", 0), 0u);      // seven groups, no "::"
}

TEST(NetworkValidatorTest, Mac) {
  EXPECT_TRUE(MacValid("00:1A:2B:3C:4D:5E"));
  EXPECT_TRUE(MacValid("00-1a-2b-3c-4d-5e"));
  EXPECT_TRUE(MacValid("0012.3456.789A"));
  EXPECT_FALSE(MacValid("00:1A:2B-3C:4D:5E"));
  EXPECT_FALSE(MacValid("FF:FF:FF:FF:FF:FF"));
  EXPECT_FALSE(MacValid("00:00:00:00:00:00"));
}

TEST(NetworkValidatorTest, UrlTrailingPunctuation) {
  EXPECT_EQ(UrlLength("https://example.com/a."), 21u);
  EXPECT_EQ(UrlLength("https://en.wikipedia.org/wiki/Foo_(bar))"), 39u);
}

}  // namespace
}  // namespace lanewise::inspect
