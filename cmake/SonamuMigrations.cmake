# sonamu_add_migrations(TARGET name DIRECTORY dir)
#
# Builds a `sonamu` command-line executable named `name` with every `*.cpp` file of `dir`
# compiled in. The migration sources are sources of the executable itself (not a static
# library), so the linker never drops a migration whose registrar nothing references.
function(sonamu_add_migrations)
  cmake_parse_arguments(ARG "" "TARGET;DIRECTORY" "" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_DIRECTORY)
    message(FATAL_ERROR "sonamu_add_migrations needs TARGET and DIRECTORY")
  endif()
  # CONFIGURE_DEPENDS: a new migration file is picked up by the next build, no re-configure.
  file(GLOB migration_sources CONFIGURE_DEPENDS "${ARG_DIRECTORY}/*.cpp")
  add_executable(${ARG_TARGET} "${PROJECT_SOURCE_DIR}/src/cli/main.cpp" ${migration_sources})
  target_link_libraries(${ARG_TARGET} PRIVATE sonamu_cli)
  sonamu_enable_warnings(${ARG_TARGET})
endfunction()
