# cmake -DSOURCE=file.cpp -DOUTPUT=unit.cpp -P SonamuMigrationSource.cmake
#
# Writes the translation unit of one C++ migration (run by sonamu_add_migrations at build time,
# whenever the migration changes): the SHA-256 of the migration's source as it is now, then the
# source itself. Each migration has its hash in a file of its own, so an edited migration
# recompiles alone; a hash among the compile definitions would change the flags of every one.
# Included, the migration keeps its own path in __FILE__, which names the migration.
if(NOT SOURCE OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DSOURCE=file.cpp -DOUTPUT=unit.cpp -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
file(SHA256 "${SOURCE}" source_hash)
string(REPLACE "\\" "\\\\" include_path "${SOURCE}")
string(REPLACE "\"" "\\\"" include_path "${include_path}")
file(WRITE "${OUTPUT}"
  "// Generated from ${SOURCE} by sonamu_add_migrations: edit that file, not this one.\n"
  "// The SHA-256 of the source as compiled: the program compares it with the file on disk\n"
  "// (stale binary) and records it when the migration is applied (edited after applied).\n"
  "#define SONAMU_SOURCE_HASH \"${source_hash}\"\n"
  "#include \"${include_path}\"\n")
