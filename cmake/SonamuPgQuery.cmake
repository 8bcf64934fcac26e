# SonamuMigrate::pg_query: libpg_query (Debian 12's libpg-query-dev, the parser of PostgreSQL
# 15) as found on the machine that builds, so that no exported file names a path of the
# machine the package was built on. Debian ships it as a static archive only.
if(NOT TARGET SonamuMigrate::pg_query)
  find_path(SONAMU_PG_QUERY_INCLUDE_DIR pg_query.h REQUIRED)
  find_library(SONAMU_PG_QUERY_LIBRARY NAMES libpg_query.a pg_query REQUIRED)
  add_library(SonamuMigrate::pg_query INTERFACE IMPORTED)
  set_target_properties(SonamuMigrate::pg_query PROPERTIES
    INTERFACE_LINK_LIBRARIES "${SONAMU_PG_QUERY_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SONAMU_PG_QUERY_INCLUDE_DIR}")
endif()
