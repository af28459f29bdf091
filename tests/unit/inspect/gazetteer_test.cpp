// PERSON, STREET_ADDRESS and LOCATION from the shipped gazetteers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inspect/gazetteer.h"
#include "inspect/inspector.h"
#include "inspect/tokenizer.h"

namespace lanewise::inspect {
namespace {

const std::string kGazetteers = std::string(LANEWISE_SOURCE_DIR) + "/data/gazetteers";

const Inspector& Full() {
  static const std::shared_ptr<const Inspector> inspector = [] {
    InspectorOptions options;
    options.gazetteer_dir = kGazetteers;
    auto built = Inspector::Build(options);
    EXPECT_TRUE(built.ok()) << built.status().ToString();
    return *built;
  }();
  return *inspector;
}

std::vector<std::string> Found(const std::string& text, const std::string& type) {
  std::vector<std::string> out;
  for (const auto& d : Full().ScanText(text)) {
    if (d.type == type) out.push_back(text.substr(d.start, d.end - d.start));
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(GazetteerTest, LoadsAndShares) {
  auto a = Gazetteer::LoadShared(kGazetteers);
  auto b = Gazetteer::LoadShared(kGazetteers);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->get(), b->get());
  const LexiconEntry* john = (*a)->Find("john");
  ASSERT_NE(john, nullptr);
  EXPECT_TRUE(john->flags & kGivenName);
  EXPECT_TRUE(john->flags & kAmbiguous);
  EXPECT_NE((*a)->Find("united states"), nullptr);
  EXPECT_EQ(PhraseKey("  São   Paulo "), "são paulo");
  EXPECT_EQ((*a)->GluedStreetSuffix("grolmanstraße"), "straße");
  EXPECT_TRUE((*a)->GluedStreetSuffix("main").empty());
  EXPECT_FALSE(Gazetteer::Load("/nonexistent").ok());
}

TEST(GazetteerTest, Tokenizer) {
  const TokenizedText t("Dr. O'Brien met JEAN-PAUL\nin São Paulo, 42x.");
  ASSERT_GE(t.size(), 9u);
  EXPECT_EQ(t.Surface(t[2]), "O'Brien");
  EXPECT_TRUE(t[2].capitalized);
  EXPECT_EQ(t.Surface(t[4]), "JEAN-PAUL");
  EXPECT_TRUE(t[4].all_upper);
  EXPECT_TRUE(t[5].newline_before);
  EXPECT_EQ(t.Lower(t[6]), "são");
  EXPECT_EQ(t[9].kind, TokenKind::kNumber);
}

TEST(NameDetectorTest, TitlesCuesAndPairs) {
  EXPECT_EQ(Found("Please ask Mrs. Eleanor Whitfield to call back.", "PERSON"),
            Strings{"Eleanor Whitfield"});
  EXPECT_EQ(Found("My name is Aantje Mourik and I need help.", "PERSON"), Strings{"Aantje Mourik"});
  EXPECT_EQ(Found("Yesterday Sarah Connor signed the contract.", "PERSON"),
            Strings{"Sarah Connor"});
  EXPECT_EQ(Found("I met Jordan yesterday.", "PERSON"), Strings{"Jordan"});
  EXPECT_EQ(Found("Zlata's address has changed.", "PERSON"), Strings{"Zlata"});
  // Coordinated names share the evidence of one of them.
  EXPECT_EQ(Found("The founders are Kónya, Becker and Thomas.", "PERSON"),
            (Strings{"Kónya", "Becker", "Thomas"}));
  // Speaker labels in a transcript.
  EXPECT_EQ(Found("Context\nAlice: where were you?", "PERSON"), Strings{"Alice"});
}

TEST(NameDetectorTest, AmbiguousWordsNeedACue) {
  EXPECT_TRUE(Found("Will you send it in May?", "PERSON").empty());
  EXPECT_TRUE(Found("The Reading Room opens on Monday.", "PERSON").empty());
  EXPECT_EQ(Found("Mr. Will Brown called.", "PERSON"), Strings{"Will Brown"});
  EXPECT_TRUE(Found("We flew from Jordan to Paris.", "PERSON").empty());
}

TEST(NameDetectorTest, LowerCaseText) {
  EXPECT_EQ(Found("hi, my name is christina quintero and i need a new card", "PERSON"),
            Strings{"christina quintero"});
}

TEST(AddressDetectorTest, StreetForms) {
  EXPECT_EQ(Found("Send it to 17 Stone Cellar Road, Springfield please.", "STREET_ADDRESS"),
            Strings{"17 Stone Cellar Road, Springfield"});
  EXPECT_EQ(Found("Die Adresse ist Grolmanstraße 25 in Berlin.", "STREET_ADDRESS"),
            Strings{"Grolmanstraße 25"});
  EXPECT_EQ(Found("Elle habite 12 rue de la Gare, Lyon.", "STREET_ADDRESS"),
            Strings{"12 rue de la Gare, Lyon"});
  EXPECT_EQ(Found("Ship to 6750 Koskikatu 25 Apt. 864, Helsinki", "STREET_ADDRESS"),
            Strings{"6750 Koskikatu 25 Apt. 864, Helsinki"});
  EXPECT_EQ(Found("My zip code is 29687", "STREET_ADDRESS"), Strings{"29687"});
  EXPECT_EQ(Found("PSC 1437, Box 3833\nAPO AA 66791", "STREET_ADDRESS"),
            Strings{"PSC 1437, Box 3833\nAPO AA 66791"});
}

TEST(AddressDetectorTest, MultiLineBlockStopsAtContactLines) {
  const std::string text =
      "Idris Ibragimov\n1317 Kimberly Way\n Apt. 962\n Grand Rapids\n United States 21959\n"
      "Mobile: 737 219 628";
  EXPECT_EQ(Found(text, "STREET_ADDRESS"),
            Strings{"1317 Kimberly Way\n Apt. 962\n Grand Rapids\n United States 21959"});
  EXPECT_EQ(Found(text, "PERSON"), Strings{"Idris Ibragimov"});
  EXPECT_EQ(Found(text, "PHONE_NUMBER"), Strings{"737 219 628"});
}

TEST(AddressDetectorTest, OrdinaryNumbersAreNotAddresses) {
  EXPECT_TRUE(Found("We sold 20 songs for Entertainment Weekly.", "STREET_ADDRESS").empty());
  EXPECT_TRUE(Found("Meet me on the 1st floor at 10 AM.", "STREET_ADDRESS").empty());
  EXPECT_TRUE(Found("Can I call you at 5?", "STREET_ADDRESS").empty());
}

TEST(LocationDetectorTest, PlacesAndPrepositions) {
  EXPECT_EQ(Found("She moved from Portugal to New Zealand last year.", "LOCATION"),
            (Strings{"Portugal", "New Zealand"}));
  EXPECT_EQ(Found("I live in Nice now.", "LOCATION"), Strings{"Nice"});
  EXPECT_TRUE(Found("That was a nice dinner.", "LOCATION").empty());
}

TEST(GazetteerTest, OffsetsInOriginalTextWithDisguises) {
  // A zero-width space inside the surname and a no-break space between the names.
  const std::string text =
      "Dear Eleanor\xC2\xA0Whit\xE2\x80\x8B"
      "field, welcome.";
  const auto found = Found(text, "PERSON");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0],
            "Eleanor\xC2\xA0Whit\xE2\x80\x8B"
            "field");
}

}  // namespace
}  // namespace lanewise::inspect
