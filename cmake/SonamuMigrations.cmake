# sonamu_add_migrations(TARGET name DIRECTORY dir)
#
# Builds a `sonamu` command-line executable named `name` with every `*.cpp` and `*.sql` file
# of `dir` compiled in: the same commands and output as `sonamu`, with your migrations.
#
# Migrations are compiled as C++20 (designated initializers: `{.useTz = false}`), whatever
# standard the rest of the project uses; the libraries themselves are C++17.
#
# The migration sources are sources of the executable itself (not a static library), so the
# linker never drops a migration whose registrar nothing references.
#
# In this repository SONAMU_MAIN_SOURCE and SONAMU_CLI_TARGET point into the build tree; in
# an installed package, SonamuMigrateConfig.cmake points them at the installed files.
include("${CMAKE_CURRENT_LIST_DIR}/SonamuSqlMigrations.cmake")

function(sonamu_add_migrations)
  cmake_parse_arguments(ARG "" "TARGET;DIRECTORY" "" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_DIRECTORY)
    message(FATAL_ERROR "sonamu_add_migrations needs TARGET and DIRECTORY")
  endif()
  if(NOT SONAMU_MAIN_SOURCE OR NOT SONAMU_CLI_TARGET)
    message(FATAL_ERROR "sonamu_add_migrations: use find_package(SonamuMigrate) first")
  endif()
  get_filename_component(directory "${ARG_DIRECTORY}" ABSOLUTE)
  # CONFIGURE_DEPENDS: a new migration file is picked up by the next build, no re-configure.
  file(GLOB migration_sources CONFIGURE_DEPENDS "${directory}/*.cpp")
  # Each migration carries the SHA-256 of its source as it was compiled, so the program can
  # tell a file edited since the build from the code it runs. An edited file re-runs this
  # configuration step on the next build, which takes its new hash.
  foreach(source IN LISTS migration_sources)
    file(SHA256 "${source}" source_hash)
    set_property(SOURCE "${source}" APPEND PROPERTY COMPILE_DEFINITIONS "SONAMU_SOURCE_HASH=\"${source_hash}\"")
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${migration_sources})
  add_executable(${ARG_TARGET} "${SONAMU_MAIN_SOURCE}" ${migration_sources})
  target_link_libraries(${ARG_TARGET} PRIVATE ${SONAMU_CLI_TARGET})
  target_compile_features(${ARG_TARGET} PRIVATE cxx_std_20)
  sonamu_add_sql_migrations(${ARG_TARGET} "${directory}")
  if(COMMAND sonamu_enable_warnings)
    sonamu_enable_warnings(${ARG_TARGET})
  endif()
  if(SONAMU_STATIC_RUNTIME)
    target_link_options(${ARG_TARGET} PRIVATE -static-libstdc++ -static-libgcc -Wl,--as-needed)
  endif()
endfunction()
