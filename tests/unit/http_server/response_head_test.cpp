#include <gtest/gtest.h>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/server_connection.h"

namespace lanewise::http::detail {
namespace {

namespace bh = boost::beast::http;

// The head written by hand reads back, with Beast's parser, as the same response.
bh::response<bh::string_body> ReadBack(const std::string& head, const std::string& body) {
  bh::response_parser<bh::string_body> parser;
  parser.eager(true);
  boost::system::error_code ec;
  const std::string wire = head + body;
  parser.put(boost::asio::buffer(wire), ec);
  EXPECT_FALSE(ec) << ec.message() << "\n" << wire;
  return parser.release();
}

TEST(ResponseHeadTest, FieldsStatusAndFramingReadBack) {
  ResponseHeader header;
  header.result(bh::status::too_many_requests);
  header.set(bh::field::content_type, "application/json");
  header.set("x-request-id", "req_1");
  header.set(bh::field::content_length, "999");  // framing fields come from the arguments
  header.set(bh::field::connection, "upgrade");
  const std::string body = R"({"error":1})";
  const std::string head = ResponseHead(header, 11, true, body.size());
  EXPECT_EQ(head.rfind("HTTP/1.1 429 Too Many Requests\r\n", 0), 0u) << head;
  EXPECT_EQ(head.find("999"), std::string::npos);
  EXPECT_EQ(head.find("upgrade"), std::string::npos);
  auto back = ReadBack(head, body);
  EXPECT_EQ(back.result_int(), 429u);
  EXPECT_EQ(back[bh::field::content_type], "application/json");
  EXPECT_EQ(back["x-request-id"], "req_1");
  EXPECT_EQ(back.body(), body);
  EXPECT_TRUE(back.keep_alive());
}

TEST(ResponseHeadTest, ConnectionFollowsVersionAndKeepAlive) {
  ResponseHeader header;
  header.result(bh::status::ok);
  const std::string close11 = ResponseHead(header, 11, false, 0);
  EXPECT_NE(close11.find("Connection: close\r\n"), std::string::npos);
  EXPECT_FALSE(ReadBack(close11, "").keep_alive());
  const std::string keep10 = ResponseHead(header, 10, true, 0);
  EXPECT_EQ(keep10.rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  EXPECT_NE(keep10.find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_TRUE(ReadBack(keep10, "").keep_alive());
  const std::string chunked = ResponseHead(header, 11, true, std::nullopt);
  EXPECT_NE(chunked.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(chunked.find("Content-Length"), std::string::npos);
  EXPECT_TRUE(ReadBack(chunked, "3\r\nabc\r\n0\r\n\r\n").chunked());
}

}  // namespace
}  // namespace lanewise::http::detail
