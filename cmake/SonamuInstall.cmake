# `cmake --install`: the `sonamu` executable, the public headers, the libraries and a CMake
# package, so another project can `find_package(SonamuMigrate)` and build its own migration
# executable with `sonamu_add_migrations`.
include(CMakePackageConfigHelpers)

set(SONAMU_PACKAGE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/SonamuMigrate")
set(SONAMU_DATA_DIR "${CMAKE_INSTALL_DATADIR}/sonamu-migrate")

install(TARGETS sonamu RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
# The build step of SQL migrations, run by sonamu_add_migrations in the projects that use it.
install(TARGETS sonamu_sql_migration EXPORT SonamuMigrateTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_LIBEXECDIR}/sonamu-migrate")
install(TARGETS sonamu_core sonamu_grammar sonamu_builder sonamu_conninfo sonamu_pg sonamu_engine sonamu_config
  sonamu_lint sonamu_output sonamu_host sonamu_cli EXPORT SonamuMigrateTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/sonamu" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/src/cli/main.cpp" DESTINATION "${SONAMU_DATA_DIR}")
install(EXPORT SonamuMigrateTargets NAMESPACE SonamuMigrate:: DESTINATION "${SONAMU_PACKAGE_DIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/SonamuMigrateConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/SonamuMigrateConfig.cmake"
  INSTALL_DESTINATION "${SONAMU_PACKAGE_DIR}"
  PATH_VARS SONAMU_DATA_DIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/SonamuMigrateConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/SonamuMigrateConfig.cmake"
  "${PROJECT_BINARY_DIR}/SonamuMigrateConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/SonamuMigrations.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/SonamuMigrationSource.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/SonamuSqlMigrations.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/SonamuPqxx.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/SonamuPgQuery.cmake"
  DESTINATION "${SONAMU_PACKAGE_DIR}")
