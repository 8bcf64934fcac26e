# sonamu_add_sql_migrations(target directory): compiles every `*.sql` migration of `directory`
# into `target`. Each file becomes a generated C++ source (SonamuSqlMigrationGenerate.cmake)
# that registers it under the SQL file's own name, so it is ordered, run, recorded and rolled
# back exactly as a C++ migration. A malformed file fails the build with `file:line: error: message`.

# Captured here: inside the function, CMAKE_CURRENT_LIST_DIR is the caller's folder.
set(SONAMU_SQL_MIGRATION_GENERATOR "${CMAKE_CURRENT_LIST_DIR}/SonamuSqlMigrationGenerate.cmake")

function(sonamu_add_sql_migrations target directory)
  # CONFIGURE_DEPENDS: a new SQL file is picked up by the next build, no re-configure.
  file(GLOB sql_files CONFIGURE_DEPENDS "${directory}/*.sql")
  set(generated_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_sql_migrations")
  foreach(sql_file IN LISTS sql_files)
    get_filename_component(stem "${sql_file}" NAME_WE)
    set(output "${generated_dir}/${stem}.sql.cpp")
    add_custom_command(OUTPUT "${output}"
      COMMAND "${CMAKE_COMMAND}" "-DSQL_FILE=${sql_file}" "-DOUTPUT=${output}"
              -P "${SONAMU_SQL_MIGRATION_GENERATOR}"
      DEPENDS "${sql_file}" "${SONAMU_SQL_MIGRATION_GENERATOR}"
      COMMENT "SQL migration ${stem}.sql"
      VERBATIM)
    target_sources(${target} PRIVATE "${output}")
  endforeach()
endfunction()
