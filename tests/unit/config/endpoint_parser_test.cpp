#include "config/endpoint_parser.h"

#include <gtest/gtest.h>

namespace lanewise::config {
namespace {

TEST(BaseUrlTest, HttpWithPortAndPrefix) {
  auto ep = ParseBaseUrl("http://127.0.0.1:8081/v1");
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_EQ(ep->scheme, "http");
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 8081);
  EXPECT_EQ(ep->path_prefix, "/v1");
  EXPECT_FALSE(ep->tls());
}

TEST(BaseUrlTest, DefaultPortsAndTrailingSlash) {
  auto https = ParseBaseUrl("HTTPS://API.Example.com/openai/v1/");
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(https->scheme, "https");
  EXPECT_EQ(https->host, "api.example.com");
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->path_prefix, "/openai/v1");
  EXPECT_TRUE(https->tls());

  auto http = ParseBaseUrl("http://localhost");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->port, 80);
  EXPECT_EQ(http->path_prefix, "");

  auto root = ParseBaseUrl("http://localhost:1234/");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->path_prefix, "");
}

TEST(BaseUrlTest, Ipv6HostHasNoBrackets) {
  auto ep = ParseBaseUrl("http://[::1]:9000/v1");
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_EQ(ep->host, "::1");
  EXPECT_EQ(ep->port, 9000);
}

TEST(BaseUrlTest, Refusals) {
  EXPECT_FALSE(ParseBaseUrl("ftp://example.com").ok());
  EXPECT_FALSE(ParseBaseUrl("example.com/v1").ok());
  EXPECT_FALSE(ParseBaseUrl("http://user:secret@example.com/v1").ok());
  EXPECT_FALSE(ParseBaseUrl("http://example.com/v1?x=1").ok());
  EXPECT_FALSE(ParseBaseUrl("http://example.com/v1#frag").ok());
  EXPECT_FALSE(ParseBaseUrl("http://example.com:99999/").ok());
  EXPECT_FALSE(ParseBaseUrl("http://example.com:0/").ok());
  EXPECT_FALSE(ParseBaseUrl("http:///v1").ok());
  EXPECT_FALSE(ParseBaseUrl("not a url").ok());
}

TEST(ListenAddressTest, Forms) {
  auto v4 = ParseListenAddress("0.0.0.0:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "0.0.0.0");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_FALSE(ParseListenAddress("8080").ok());
  EXPECT_FALSE(ParseListenAddress(":8080").ok());
  EXPECT_FALSE(ParseListenAddress("::1:8080").ok());
  EXPECT_FALSE(ParseListenAddress("host:65536").ok());
  EXPECT_FALSE(ParseListenAddress("host:http").ok());
}

}  // namespace
}  // namespace lanewise::config
