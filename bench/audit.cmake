# bench_audit: what the audit store costs per decision: the writer's commits by batch size,
# and the whole queued path (queue, batch, commit, callback) per record. Release build.
if(TARGET lw_audit)
  add_executable(bench_audit ${CMAKE_CURRENT_LIST_DIR}/audit_bench.cpp)
  target_link_libraries(bench_audit PRIVATE lw_audit lw_options benchmark::benchmark)
endif()
