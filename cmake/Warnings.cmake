function(lanewise_set_warnings target)
  # -Wno-restrict: g++ 12 reports false positives inside libstdc++'s std::string at -O2/-O3
  # (GCC bug 105329), which -Werror would turn into build failures in release builds.
  target_compile_options(${target} INTERFACE -Wall -Wextra -Wpedantic -Werror -Wshadow
                                             -Wnon-virtual-dtor -Wno-missing-field-initializers
                                             -Wno-restrict)
endfunction()
