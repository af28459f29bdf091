function(lanewise_set_warnings target)
  target_compile_options(${target} INTERFACE -Wall -Wextra -Wpedantic -Werror -Wshadow
                                             -Wnon-virtual-dtor -Wno-missing-field-initializers)
  # -Wno-restrict: g++ 12 reports false positives inside libstdc++'s std::string at -O2/-O3
  # (GCC bug 105329), and -Wno-mismatched-new-delete: it misreads Asio's coroutine-frame
  # operator new/delete pair at -O2; -Werror would turn both into release-build failures.
  # clang (the fuzz build) knows neither option.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} INTERFACE -Wno-restrict -Wno-mismatched-new-delete)
  endif()
endfunction()
