# bench_redact: redacting a 2 KB request (with the re-scan) and restoring a 20-event
# streamed answer, next to inspecting the same request. Release build, as bench_inspect.
if(TARGET lw_redact)
  add_executable(bench_redact ${CMAKE_CURRENT_LIST_DIR}/redact_bench.cpp)
  target_link_libraries(bench_redact PRIVATE lw_redact lw_config lw_inspect lw_options
                                             benchmark::benchmark)
  target_compile_definitions(bench_redact PRIVATE LANEWISE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endif()
