# bench_inspect: Inspector end to end on a 2 KB chat request, and scan throughput on
# 100 KB of text. Build in a Release directory without sanitizers, e.g.
#   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG"
#   cmake --build build-bench --target bench_inspect -j2 && build-bench/bench/bench_inspect
if(TARGET lw_inspect)
  add_executable(bench_inspect ${CMAKE_CURRENT_LIST_DIR}/inspect_bench.cpp)
  target_link_libraries(bench_inspect PRIVATE lw_inspect lw_options benchmark::benchmark)
  target_compile_definitions(bench_inspect PRIVATE LANEWISE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endif()
