# sonamu_add_sql_migrations(target directory): compiles every `*.sql` migration of `directory`
# into `target`. Each file becomes a generated C++ source (the `sonamu_sql_migration` program,
# which reads the file with PostgreSQL's own scanner and parser) that registers it under the SQL
# file's own name, so it is ordered, run, recorded and rolled back exactly as a C++ migration.
# A malformed file fails the build with `file:line: error: message`.

function(sonamu_add_sql_migrations target directory)
  # CONFIGURE_DEPENDS: a new SQL file is picked up by the next build, no re-configure.
  file(GLOB sql_files CONFIGURE_DEPENDS "${directory}/*.sql")
  set(generated_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_sql_migrations")
  # Built here in this repository; installed with the package elsewhere.
  if(TARGET sonamu_sql_migration)
    set(generator sonamu_sql_migration)
  else()
    set(generator SonamuMigrate::sonamu_sql_migration)
  endif()
  file(MAKE_DIRECTORY "${generated_dir}")
  foreach(sql_file IN LISTS sql_files)
    get_filename_component(stem "${sql_file}" NAME_WE)
    set(output "${generated_dir}/${stem}.sql.cpp")
    add_custom_command(OUTPUT "${output}"
      COMMAND ${generator} "${sql_file}" "${output}"
      DEPENDS "${sql_file}" "$<TARGET_FILE:${generator}>"
      COMMENT "SQL migration ${stem}.sql"
      VERBATIM)
    target_sources(${target} PRIVATE "${output}")
  endforeach()
endfunction()
