# lw_http_server: the HTTP/1.1 server (Beast, coroutines). See server.h.
add_library(lw_http_server server.cpp server_connection.cpp)
if(TARGET Boost::headers)
  set(lw_boost_headers Boost::headers)
else()
  set(lw_boost_headers Boost::boost)
endif()
# lw_http_deadline: DeadlineWatch, shared by the server and the upstream client.
add_library(lw_http_deadline deadline_watch.cpp)
target_link_libraries(lw_http_deadline PUBLIC lw_options ${lw_boost_headers})
target_link_libraries(lw_http_server PUBLIC lw_core lw_options ${lw_boost_headers} OpenSSL::SSL
                                            Threads::Threads lw_http_deadline)
