# bench_request: the gateway's per-request decision path (parse, inspect, decide) on a
# ~2 KB chat request. Release build, as bench_inspect.
if(TARGET lw_api AND TARGET lw_policy)
  add_executable(bench_request ${CMAKE_CURRENT_LIST_DIR}/request_bench.cpp)
  target_link_libraries(bench_request PRIVATE lw_api lw_policy lw_config lw_inspect lw_options
                                              benchmark::benchmark)
  target_compile_definitions(bench_request PRIVATE LANEWISE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endif()
