# Warnings for the project's own targets: on, and clean.
function(sonamu_enable_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
endfunction()
