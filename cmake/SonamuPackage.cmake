# `cpack -G DEB` (scripts/package.sh): a Debian package of everything `cmake --install` puts
# in place, under /usr. Depends is computed by dpkg-shlibdeps from the executable's libraries.

set(SONAMU_PACKAGE_NAME sonamu-migrate)
set(SONAMU_PACKAGE_MAINTAINER "sonamu-migrate maintainers <maintainers@sonamu-migrate.invalid>")
set(SONAMU_DOC_DIR "${CMAKE_INSTALL_DATADIR}/doc/${SONAMU_PACKAGE_NAME}")

# The Debian changelog is kept in the repository; its newest entry must be this version.
file(STRINGS "${PROJECT_SOURCE_DIR}/packaging/changelog" changelog_head LIMIT_COUNT 1)
if(NOT changelog_head MATCHES "^${SONAMU_PACKAGE_NAME} \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/changelog: the newest entry is not version ${PROJECT_VERSION}: ${changelog_head}")
endif()

# debian/copyright in the machine-readable format, its licence text taken from LICENSE.
file(STRINGS "${PROJECT_SOURCE_DIR}/LICENSE" license_lines)
list(FILTER license_lines EXCLUDE REGEX "^(MIT License|Copyright .*)$")
file(READ "${PROJECT_SOURCE_DIR}/LICENSE" license_text)
string(REGEX MATCH "Copyright \\(c\\) [^\n]*" copyright_notice "${license_text}")
string(REPLACE "Copyright (c) " "" copyright_holder "${copyright_notice}")
set(copyright "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n")
string(APPEND copyright "Upstream-Name: ${SONAMU_PACKAGE_NAME}\n\nFiles: *\nCopyright: ${copyright_holder}\nLicense: Expat\n")
set(leading_blank TRUE)
foreach(line IN LISTS license_lines)
  if(line STREQUAL "")
    if(NOT leading_blank)
      string(APPEND copyright " .\n")
    endif()
  else()
    set(leading_blank FALSE)
    string(APPEND copyright " ${line}\n")
  endif()
endforeach()
file(WRITE "${PROJECT_BINARY_DIR}/packaging/copyright" "${copyright}")

add_custom_command(OUTPUT "${PROJECT_BINARY_DIR}/packaging/changelog.gz"
  COMMAND "${CMAKE_COMMAND}" -E copy "${PROJECT_SOURCE_DIR}/packaging/changelog" "${PROJECT_BINARY_DIR}/packaging/changelog"
  COMMAND gzip -9nf "${PROJECT_BINARY_DIR}/packaging/changelog"
  DEPENDS "${PROJECT_SOURCE_DIR}/packaging/changelog"
  VERBATIM)
add_custom_target(sonamu_package_files ALL DEPENDS "${PROJECT_BINARY_DIR}/packaging/changelog.gz")
install(FILES "${PROJECT_BINARY_DIR}/packaging/copyright" "${PROJECT_BINARY_DIR}/packaging/changelog.gz"
  DESTINATION "${SONAMU_DOC_DIR}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME "${SONAMU_PACKAGE_NAME}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${SONAMU_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "PostgreSQL migration runner compatible with knex")
# Wrapped by hand: dpkg shows the lines as they are (lintian wants them under 80 columns).
set(CPACK_PACKAGE_DESCRIPTION "Migrations are C++ files compiled into one executable, with the commands of
knex's migrator (run, up, rollback, down, status) and more (verify, history,
make, unlock, forget, mark). The bookkeeping tables are knex's own, so knex
and this tool can share a database. Every batch runs in one transaction.

This package holds the sonamu executable (built with example migrations), its
manual page and bash completion, and the CMake package that builds an
executable with your own migrations: find_package(SonamuMigrate) and
sonamu_add_migrations().")
# The static libraries without their debug sections (CPACK_STRIP_FILES strips executables only).
set(CPACK_PRE_BUILD_SCRIPTS "${PROJECT_SOURCE_DIR}/cmake/SonamuStripArchives.cmake")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# pg_dump for --backup; a compiler, CMake and libpqxx for building with your own migrations.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-client, cmake, g++, make, pkg-config, libpqxx-dev, libpq-dev, libpg-query-dev")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
