# SonamuMigrate::pqxx: libpqxx and libpq behind one imported target, found on the machine that
# builds, so that no exported file names a path of the machine the package was built on.
# Debian's static archive of libpqxx is preferred when it is there: the executables then start
# at psql's cost (the dynamic loader was two thirds of the instructions of `sonamu --version`).
if(NOT TARGET SonamuMigrate::pqxx)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SONAMU_PQXX REQUIRED IMPORTED_TARGET libpqxx>=6.4)
  pkg_check_modules(SONAMU_PQ REQUIRED IMPORTED_TARGET libpq)
  find_library(SONAMU_PQXX_STATIC NAMES libpqxx.a HINTS ${SONAMU_PQXX_LIBRARY_DIRS})
  add_library(SonamuMigrate::pqxx INTERFACE IMPORTED)
  if(SONAMU_PQXX_STATIC)
    set_target_properties(SonamuMigrate::pqxx PROPERTIES
      INTERFACE_LINK_LIBRARIES "${SONAMU_PQXX_STATIC};PkgConfig::SONAMU_PQ"
      INTERFACE_INCLUDE_DIRECTORIES "${SONAMU_PQXX_INCLUDE_DIRS}")
  else()
    set_target_properties(SonamuMigrate::pqxx PROPERTIES
      INTERFACE_LINK_LIBRARIES "PkgConfig::SONAMU_PQXX;PkgConfig::SONAMU_PQ")
  endif()
endif()
