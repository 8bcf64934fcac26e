# sonamu_add_migrations(TARGET name DIRECTORY dir [PROGRAM_NAME word])
#
# Builds a `sonamu` command-line executable named `name` with every `*.cpp` and `*.sql` file
# of `dir` compiled in: the same commands and output as `sonamu`, with your migrations. It
# calls itself `name` (or PROGRAM_NAME) in its usage, hints and completion script.
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
set_property(GLOBAL PROPERTY SONAMU_MIGRATION_SOURCE_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/SonamuMigrationSource.cmake")

function(sonamu_add_migrations)
  cmake_parse_arguments(ARG "" "TARGET;DIRECTORY;PROGRAM_NAME" "" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_DIRECTORY)
    message(FATAL_ERROR "sonamu_add_migrations needs TARGET and DIRECTORY")
  endif()
  if(NOT SONAMU_MAIN_SOURCE OR NOT SONAMU_CLI_TARGET)
    message(FATAL_ERROR "sonamu_add_migrations: use find_package(SonamuMigrate) first")
  endif()
  get_filename_component(directory "${ARG_DIRECTORY}" ABSOLUTE)
  # CONFIGURE_DEPENDS: a new migration file is picked up by the next build, no re-configure.
  file(GLOB migration_sources CONFIGURE_DEPENDS "${directory}/*.cpp")
  add_executable(${ARG_TARGET} "${SONAMU_MAIN_SOURCE}")
  sonamu_add_migration_sources(${ARG_TARGET} ${migration_sources})
  target_link_libraries(${ARG_TARGET} PRIVATE ${SONAMU_CLI_TARGET})
  if(NOT ARG_PROGRAM_NAME)
    set(ARG_PROGRAM_NAME "${ARG_TARGET}")
  endif()
  string(REPLACE "\\" "\\\\" folder_literal "${directory}")
  string(REPLACE "\"" "\\\"" folder_literal "${folder_literal}")
  # The folder too, so the executable finds its sources from any working directory (its build
  # folder, a cron job) and can tell an edited migration from the code it runs.
  target_compile_definitions(${ARG_TARGET} PRIVATE "SONAMU_PROGRAM_NAME=\"${ARG_PROGRAM_NAME}\""
                                                   "SONAMU_MIGRATIONS_DIR=\"${folder_literal}\"")
  target_compile_features(${ARG_TARGET} PRIVATE cxx_std_20)
  sonamu_add_sql_migrations(${ARG_TARGET} "${directory}")
  if(COMMAND sonamu_enable_warnings)
    sonamu_enable_warnings(${ARG_TARGET})
  endif()
  if(SONAMU_STATIC_RUNTIME)
    target_link_options(${ARG_TARGET} PRIVATE -static-libstdc++ -static-libgcc -Wl,--as-needed)
  endif()
endfunction()

# sonamu_add_migration_sources(target file.cpp...): compiles C++ migrations into `target`.
# Each migration carries the SHA-256 of its source as it was compiled, so the program can tell a
# file edited since the build from the code it runs. The hash is taken at build time into a
# generated translation unit per migration that includes the migration (SonamuMigrationSource.cmake):
# editing one migration regenerates and recompiles that one alone, then links.
function(sonamu_add_migration_sources target)
  get_property(script GLOBAL PROPERTY SONAMU_MIGRATION_SOURCE_SCRIPT)
  foreach(source IN LISTS ARGN)
    get_filename_component(source "${source}" ABSOLUTE)
    get_filename_component(name "${source}" NAME)
    get_filename_component(folder "${source}" DIRECTORY)
    # Two folders may hold a migration of the same file name (a duplicate the program refuses).
    string(SHA1 folder_id "${folder}")
    string(SUBSTRING "${folder_id}" 0 8 folder_id)
    set(output "${CMAKE_CURRENT_BINARY_DIR}/${target}_migrations/${folder_id}/${name}")
    add_custom_command(OUTPUT "${output}"
      COMMAND "${CMAKE_COMMAND}" "-DSOURCE=${source}" "-DOUTPUT=${output}" -P "${script}"
      DEPENDS "${source}" "${script}"
      COMMENT "C++ migration ${name}"
      VERBATIM)
    target_sources(${target} PRIVATE "${output}")
  endforeach()
endfunction()
