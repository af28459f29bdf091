add_library(lw_http client.cpp upstream_connection.cpp sse_parser.cpp)
target_link_libraries(lw_http PUBLIC lw_core lw_options Boost::headers OpenSSL::SSL
                                     OpenSSL::Crypto Threads::Threads lw_http_deadline)
