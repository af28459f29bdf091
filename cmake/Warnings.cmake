function(lanewise_set_warnings target)
  target_compile_options(${target} INTERFACE -Wall -Wextra -Wpedantic -Werror -Wshadow
                                             -Wnon-virtual-dtor -Wno-missing-field-initializers)
endfunction()
