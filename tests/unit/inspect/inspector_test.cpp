// Inspector::ScanText: every pattern type, normalisation disguises reported in original
// offsets, custom detectors, options and build errors, concurrent use.
#include "inspect/inspector.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "custom_detector_fixtures.h"

namespace lanewise::inspect {
namespace {

// Patterns only (no gazetteers): fast to build, no PERSON/ADDRESS/LOCATION noise.
const Inspector& PatternInspector() {
  static const std::shared_ptr<const Inspector> inspector = [] {
    InspectorOptions options;
    options.gazetteer_dir = "";
    auto built = Inspector::Build(options);
    EXPECT_TRUE(built.ok()) << built.status().ToString();
    return *built;
  }();
  return *inspector;
}

struct Found {
  std::string type;
  std::string value;
};

std::vector<Found> Scan(const Inspector& inspector, const std::string& text) {
  std::vector<Found> out;
  for (const auto& d : inspector.ScanText(text)) {
    EXPECT_LE(d.start, d.end);
    EXPECT_LE(d.end, text.size());
    EXPECT_GE(d.confidence, 0.0);
    EXPECT_LE(d.confidence, 1.0);
    out.push_back({d.type, text.substr(d.start, d.end - d.start)});
  }
  return out;
}

::testing::AssertionResult Finds(const std::string& text, const std::string& type,
                                 const std::string& value) {
  const auto found = Scan(PatternInspector(), text);
  std::string all;
  for (const auto& f : found) {
    if (f.type == type && f.value == value) return ::testing::AssertionSuccess();
    all += " " + f.type + "[" + f.value + "]";
  }
  return ::testing::AssertionFailure()
         << "no " << type << "[" << value << "] in '" << text << "'; found:" << all;
}

::testing::AssertionResult FindsNothing(const std::string& text, const std::string& type) {
  for (const auto& f : Scan(PatternInspector(), text)) {
    if (f.type == type) {
      return ::testing::AssertionFailure() << "unexpected " << type << "[" << f.value << "]";
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(InspectorTest, FinancialAndGovernmentIds) {
  EXPECT_TRUE(Finds("pay with 4111 1111 1111 1111 today", "CREDIT_CARD", "4111 1111 1111 1111"));
  EXPECT_TRUE(FindsNothing("order 4111 1111 1111 1112 shipped", "CREDIT_CARD"));
  EXPECT_TRUE(Finds("card 4111.1111.1111.1111 on file", "CREDIT_CARD", "4111.1111.1111.1111"));
  EXPECT_TRUE(FindsNothing("version 4111.1111.1111.1112 shipped", "CREDIT_CARD"));
  EXPECT_TRUE(
      Finds("IBAN: DE89 3704 0044 0532 0130 00.", "IBAN_CODE", "DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(Finds("my SSN is 536-22-1234", "US_SSN", "536-22-1234"));
  EXPECT_TRUE(Finds("ssn 536221234", "US_SSN", "536221234"));
  EXPECT_TRUE(FindsNothing("ref 536221234", "US_SSN"));  // bare digits need a cue
  EXPECT_TRUE(Finds("NI number: AB 12 34 56 C", "UK_NINO", "AB 12 34 56 C"));
  EXPECT_TRUE(Finds("Steuer-ID 86095742719", "DE_TAX_ID", "86095742719"));
  // A labelled number with a valid check digit but no repeated digit: reported.
  EXPECT_TRUE(Finds("Meine Steuer-ID: 12345678903.", "DE_TAX_ID", "12345678903"));
  EXPECT_TRUE(FindsNothing("order 12345678903 shipped", "DE_TAX_ID"));
  EXPECT_TRUE(Finds("DNI 12345678Z", "ES_DNI", "12345678Z"));
  EXPECT_TRUE(Finds("NIE X1234567L", "ES_NIE", "X1234567L"));
  EXPECT_TRUE(Finds("mi nie es x1234567l", "ES_NIE", "x1234567l"));
  EXPECT_TRUE(Finds("CF RSSMRA85T10A562S", "IT_FISCAL_CODE", "RSSMRA85T10A562S"));
  EXPECT_TRUE(Finds("Aadhaar 3998 7654 3211", "IN_AADHAAR", "3998 7654 3211"));
}

// Every structured type accepts the same separators (ASCII space, hyphen and dot, and the
// Unicode spaces, dashes and invisible characters the normaliser folds), escaped or not.
TEST(InspectorTest, SameSeparatorsForEveryShape) {
  for (const char* ssn : {"688-36-4921", "688.36.4921", "688 36 4921", "688\u00a036\u00a04921",
                          "688\u202f36\u202f4921", "688\u200b36\u200b4921", "688\u201036\u20104921",
                          "688\u221236\u22124921", R"(688\u00a036\u00a04921)"}) {
    EXPECT_TRUE(Finds(std::string("ref ") + ssn + " ok", "US_SSN", ssn)) << ssn;
  }
  EXPECT_TRUE(FindsNothing("000 12 3456 and 666 12 3456 and 688 36 0000", "US_SSN"));
  EXPECT_TRUE(
      Finds("iban DE89.3704.0044.0532.0130.00 ok", "IBAN_CODE", "DE89.3704.0044.0532.0130.00"));
  EXPECT_TRUE(Finds("nino AB-12-34-56-C ok", "UK_NINO", "AB-12-34-56-C"));
  EXPECT_TRUE(Finds("card 4111.1111.1111.1111 ok", "CREDIT_CARD", "4111.1111.1111.1111"));
  EXPECT_TRUE(Finds("call (694) 697\u200b2442 now", "PHONE_NUMBER", "(694) 697\u200b2442"));
  EXPECT_TRUE(Finds("call (329) 384-0\u200d039 now", "PHONE_NUMBER", "(329) 384-0\u200d039"));
  EXPECT_TRUE(
      Finds(R"(key \u0041KIAZ7QW3RTY5UIO2PLK ok)", "SECRET", R"(\u0041KIAZ7QW3RTY5UIO2PLK)"));
  EXPECT_TRUE(Finds(R"({"iban":"DE\uff18\uff19 3704 0044 0532 0130 00"})", "IBAN_CODE",
                    R"(DE\uff18\uff19 3704 0044 0532 0130 00)"));
}

TEST(InspectorTest, ContactAndNetwork) {
  EXPECT_TRUE(Finds("write to jane.doe@example.org.", "EMAIL_ADDRESS", "jane.doe@example.org"));
  EXPECT_TRUE(Finds("call (555) 123-4567 now", "PHONE_NUMBER", "(555) 123-4567"));
  EXPECT_TRUE(Finds("UK office +44 20 7946 0958", "PHONE_NUMBER", "+44 20 7946 0958"));
  EXPECT_TRUE(Finds("Tel. 030 12345678", "PHONE_NUMBER", "030 12345678"));
  EXPECT_TRUE(Finds("appelez le 01 42 68 53 00", "PHONE_NUMBER", "01 42 68 53 00"));
  EXPECT_TRUE(Finds("ext: 415-555-0132 x204", "PHONE_NUMBER", "415-555-0132 x204"));
  EXPECT_TRUE(FindsNothing("released on 2021-05-20 at 10.0.0", "PHONE_NUMBER"));
  EXPECT_TRUE(FindsNothing("it costs 1,234,567 dollars", "PHONE_NUMBER"));
  EXPECT_TRUE(Finds("host 192.168.10.4 is down", "IP_ADDRESS", "192.168.10.4"));
  EXPECT_TRUE(FindsNothing("version 1.2.3.4", "IP_ADDRESS"));
  EXPECT_TRUE(Finds("from [2001:db8::8a2e:370:7334]:443", "IP_ADDRESS", "2001:db8::8a2e:370:7334"));
  EXPECT_TRUE(FindsNothing("std::vector and Foo::bar", "IP_ADDRESS"));
  EXPECT_TRUE(Finds("MAC 00:1A:2B:3C:4D:5E", "MAC_ADDRESS", "00:1A:2B:3C:4D:5E"));
  EXPECT_TRUE(Finds("see https://example.com/a?b=1.", "URL", "https://example.com/a?b=1"));
}

TEST(InspectorTest, Secrets) {
  const std::vector<std::string> secrets = {
      "AKIAZ7XQ3RJ4TWPLM2KD",
      "ghp_8fK2mQ9xLr4Tz7Wb1Nc6Vy3Hd5Js0PaEuGiO",
      "glpat-Xk29fLq8Zr3mWp7Ty1Bv",
      "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
      "sk-proj-Qx7Lm2Rt9Vb4Nc8Ws1Kd6Hf3Jg5Pa0Ze",
      "sk-ant-api03-Zq8Xw2Lk9Mv4Nb7Tc1Rd6Hy3Jf5Gp0Sa",
      "AIzaSyB7fK2mQ9xLr4Tz7Wb1Nc6Vy3Hd5Js0PaE",
      "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
      "dBjftJeZ4CVPmB92K27uhbUJU1p1r_"
      "wW1gFWFOEjXk",
  };
  for (const auto& secret : secrets) {
    EXPECT_TRUE(Finds("use " + secret + " please", "SECRET", secret));
  }
  EXPECT_TRUE(Finds("db password: Tr0ub4dor&3x", "SECRET", "Tr0ub4dor&3x"));
  EXPECT_TRUE(FindsNothing("password: ********", "SECRET"));
  const std::string pem =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE "
      "KEY-----";
  EXPECT_TRUE(Finds("key:\n" + pem + "\nthanks", "SECRET", pem));
}

TEST(InspectorTest, CryptoWallets) {
  EXPECT_TRUE(Finds("send to 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "CRYPTO",
                    "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
  EXPECT_TRUE(Finds("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "CRYPTO",
                    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
  EXPECT_TRUE(Finds("eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "CRYPTO",
                    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
  EXPECT_TRUE(FindsNothing("eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "CRYPTO"));
}

TEST(InspectorTest, ContextEntities) {
  EXPECT_TRUE(Finds("She was born on 12/03/1980 in Leeds", "DATE_OF_BIRTH", "12/03/1980"));
  EXPECT_TRUE(Finds("DOB: 1980-03-12", "DATE_OF_BIRTH", "1980-03-12"));
  EXPECT_TRUE(Finds("date of birth: March 12, 1980", "DATE_OF_BIRTH", "March 12, 1980"));
  EXPECT_TRUE(Finds("geb. 12.03.1980", "DATE_OF_BIRTH", "12.03.1980"));
  EXPECT_TRUE(FindsNothing("the meeting is on 12/03/2024", "DATE_OF_BIRTH"));
  EXPECT_TRUE(Finds("MRN: 00482913", "MEDICAL_RECORD_NUMBER", "00482913"));
  EXPECT_TRUE(Finds("patient id is A-4829-117", "MEDICAL_RECORD_NUMBER", "A-4829-117"));
}

TEST(InspectorTest, DisguisesReportedInOriginalOffsets) {
  // Full-width digits.
  const std::string fullwidth =
      "card \xEF\xBC\x94\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x91 \xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x91"
      "\xEF\xBC\x91 \xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x91 \xEF\xBC\x91\xEF\xBC\x91\xEF"
      "\xBC\x91\xEF\xBC\x91 ok";
  auto found = PatternInspector().ScanText(fullwidth);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "CREDIT_CARD");
  EXPECT_EQ(found[0].start, 5u);
  EXPECT_EQ(found[0].end, fullwidth.size() - 3);

  // Zero-width characters inside the number.
  const std::string zero_width =
      "cc: 4111\xE2\x80\x8B"
      "1111\xE2\x80\x8C"
      "1111\xE2\x81\xA0"
      "1111!";
  found = PatternInspector().ScanText(zero_width);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "CREDIT_CARD");
  EXPECT_EQ(zero_width.substr(found[0].start, found[0].end - found[0].start),
            zero_width.substr(4, zero_width.size() - 5));

  // A zero-width space standing in for a group separator: "4111<ZWSP>1111 1111 1111"
  // normalises to "41111111 1111 1111" (first group of 8), which the card check reads
  // with the hidden break as a separator. The span covers the invisible bytes.
  const std::string zwsp_group =
      "card 4111\xE2\x80\x8B"
      "1111 1111 1111 lost";
  found = PatternInspector().ScanText(zwsp_group);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "CREDIT_CARD");
  EXPECT_EQ(found[0].start, 5u);
  EXPECT_EQ(found[0].end, zwsp_group.size() - 5);
  EXPECT_TRUE(
      Finds("4111\xE2\x80\x8B"
            "1111 1111 1111",
            "CREDIT_CARD",
            "4111\xE2\x80\x8B"
            "1111 1111 1111"));
  EXPECT_TRUE(
      Finds("4111-1111\xE2\x80\x8B-1111-1111", "CREDIT_CARD", "4111-1111\xE2\x80\x8B-1111-1111"));
  // The same number without the invisible character keeps its odd grouping: no card.
  EXPECT_TRUE(FindsNothing("41111111 1111 1111", "CREDIT_CARD"));
  // IBAN blocks and SSN groups behave alike.
  EXPECT_TRUE(Finds("IBAN GB82\xE2\x80\x8BWEST 1234 5698 7654 32", "IBAN_CODE",
                    "GB82\xE2\x80\x8BWEST 1234 5698 7654 32"));
  EXPECT_TRUE(
      Finds("id 536\xE2\x80\x8B"
            "22-1234 ok",
            "US_SSN",
            "536\xE2\x80\x8B"
            "22-1234"));

  // No-break spaces as separators, accents before the number (multi-byte prefix).
  const std::string nbsp =
      "Caf\xC3\xA9 r\xC3\xA9sum\xC3\xA9: 4111\xC2\xA0"
      "1111\xC2\xA0"
      "1111\xC2\xA0"
      "1111";
  found = PatternInspector().ScanText(nbsp);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(nbsp.substr(found[0].start, found[0].end - found[0].start),
            "4111\xC2\xA0"
            "1111\xC2\xA0"
            "1111\xC2\xA0"
            "1111");

  // Full-width letters and digits in an e-mail address.
  const std::string email = "mail \xEF\xBD\x8A\xEF\xBD\x8F@example.com";  // ｊｏ@example.com
  EXPECT_TRUE(Finds(email, "EMAIL_ADDRESS", "\xEF\xBD\x8A\xEF\xBD\x8F@example.com"));
}

TEST(InspectorTest, CustomDetectors) {
  InspectorOptions options;
  options.gazetteer_dir = "";
  options.custom_detectors = {
      TermDetector("clients", "CLIENT_NAME", 3, {"Project Falcon", "Acme Corp", "C++"}),
      PatternDetector("project-codes", "PROJECT_CODE", 1, R"(PRJ-\d{4})")};
  auto built = Inspector::Build(options);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const Inspector& inspector = **built;
  const std::string text = "about project falcon and ACME CORP (not falconry), ref PRJ-2041 in C++";
  std::vector<std::string> values;
  for (const auto& d : inspector.ScanText(text)) {
    values.push_back(d.type + ":" + text.substr(d.start, d.end - d.start));
  }
  EXPECT_EQ(values, (std::vector<std::string>{"CLIENT_NAME:project falcon", "CLIENT_NAME:ACME CORP",
                                              "PROJECT_CODE:PRJ-2041", "CLIENT_NAME:C++"}));
  EXPECT_EQ(inspector.SensitivityOf("CLIENT_NAME"), 3);
  EXPECT_EQ(inspector.SensitivityOf("PROJECT_CODE"), 1);
}

// Terms with non-ASCII letters fold case across scripts and keep their word boundaries
// (checked in C++: Hyperscan has no \b with Unicode properties).
TEST(InspectorTest, CustomTermsWithNonAsciiLetters) {
  InspectorOptions options;
  options.gazetteer_dir = "";
  options.custom_detectors = {
      TermDetector("clients", "CLIENT_NAME", 3, {"Zürich Re", "Société Générale", "Łódź"})};
  auto built = Inspector::Build(options);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const Inspector& inspector = **built;
  const std::string text =
      "for ZÜRICH RE, not Zürich Rex or aZürich Re; SOCIÉTÉ GÉNÉRALE and łódź, not łódźka or "
      "Łódź_2; (Zürich Re)";
  std::vector<std::string> values;
  for (const auto& d : inspector.ScanText(text)) {
    values.push_back(text.substr(d.start, d.end - d.start));
  }
  EXPECT_EQ(values,
            (std::vector<std::string>{"ZÜRICH RE", "SOCIÉTÉ GÉNÉRALE", "łódź", "Zürich Re"}));
}

TEST(InspectorTest, BuildErrorsNameTheCulprit) {
  InspectorOptions options;
  options.gazetteer_dir = "";
  CustomDetector bad;
  bad.name = "broken-regex";
  bad.entity_type = "X";
  bad.pattern = "(unclosed";
  options.custom_detectors = {bad};
  auto built = Inspector::Build(options);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("broken-regex"), std::string::npos)
      << built.status().message();

  options.custom_detectors.clear();
  options.sensitivity_overrides = {{"NO_SUCH_TYPE", 2}};
  built = Inspector::Build(options);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("NO_SUCH_TYPE"), std::string::npos);

  options.sensitivity_overrides = {{"EMAIL_ADDRESS", 7}};
  EXPECT_FALSE(Inspector::Build(options).ok());

  options.sensitivity_overrides.clear();
  options.gazetteer_dir = "/nonexistent/gazetteers";
  built = Inspector::Build(options);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("/nonexistent/gazetteers"), std::string::npos);
}

TEST(InspectorTest, OverridesAndDisabledTypes) {
  InspectorOptions options;
  options.gazetteer_dir = "";
  options.sensitivity_overrides = {{"EMAIL_ADDRESS", 4}};
  options.disabled_types = {"URL", "PHONE_NUMBER"};
  auto built = Inspector::Build(options);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const auto found = (*built)->ScanText("a@b.com https://x.org call +1 415 555 0132");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, "EMAIL_ADDRESS");
  EXPECT_EQ(found[0].sensitivity, 4);
  EXPECT_EQ((*built)->SensitivityOf("US_SSN"), 4);
  EXPECT_EQ((*built)->SensitivityOf("LOCATION"), 1);
  EXPECT_EQ((*built)->SensitivityOf("SOMETHING_ELSE"), 4);  // unknown: fail closed
}

TEST(InspectorTest, ConcurrentScansAgree) {
  const std::string text =
      "Card 4111 1111 1111 1111, IBAN GB82WEST12345698765432, mail a.b@example.com, "
      "call +44 20 7946 0958, host 10.1.2.3, key AKIAZ7XQ3RJ4TWPLM2KD.";
  const auto expected = PatternInspector().ScanText(text);
  ASSERT_EQ(expected.size(), 6u);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const auto got = PatternInspector().ScanText(text);
        if (got.size() != expected.size()) {
          ++mismatches[static_cast<std::size_t>(t)];
          continue;
        }
        for (std::size_t k = 0; k < got.size(); ++k) {
          if (got[k].type != expected[k].type || got[k].start != expected[k].start ||
              got[k].end != expected[k].end) {
            ++mismatches[static_cast<std::size_t>(t)];
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace lanewise::inspect
