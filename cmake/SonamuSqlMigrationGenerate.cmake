# Turns one SQL migration file into a C++ source that registers it; run at build time by
# sonamu_add_sql_migrations (cmake -P, with SQL_FILE and OUTPUT set).
#
# The file holds a `-- migrate:up` section and optionally a `-- migrate:down` section (dbmate's
# convention); `-- migrate:up transaction:false` runs the migration outside any transaction.
# A `-- sonamu:lossy REASON` line in the down section declares that the down knowingly does not
# give every value back (sonamu::lossy): `migrate verify` lists what differs without failing.
# Anything wrong with the sections stops the build with `file:line: error: message`.
cmake_minimum_required(VERSION 3.18)

if(NOT SQL_FILE OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DSQL_FILE=file.sql -DOUTPUT=file.cpp -P SonamuSqlMigrationGenerate.cmake")
endif()

file(READ "${SQL_FILE}" content)
# Line endings as written on any system.
string(REPLACE "\r\n" "\n" content "${content}")

# One unwrapped line, `file:line: error: message` as compilers write it (editors jump to it);
# FATAL_ERROR alone would wrap the text over several lines.
function(sql_error line message)
  message(NOTICE "${SQL_FILE}:${line}: error: ${message}")
  message(FATAL_ERROR "invalid SQL migration file")
endfunction()

# The marker lines, with their line numbers and offsets.
set(up_line "")
set(down_line "")
set(up_options "")
set(down_options "")
set(lossy_reason "")
set(remaining "${content}")
set(offset 0)
set(line 1)
while(TRUE)
  string(FIND "${remaining}" "\n" newline)
  if(newline EQUAL -1)
    set(text "${remaining}")
  else()
    string(SUBSTRING "${remaining}" 0 ${newline} text)
  endif()
  string(STRIP "${text}" stripped)
  if(stripped MATCHES "^--[ \t]*migrate:")
    if(stripped MATCHES "^--[ \t]*migrate:(up|down)([ \t]+(.*))?$")
      set(kind "${CMAKE_MATCH_1}")
      set(options "${CMAKE_MATCH_3}")
      if(NOT options STREQUAL "" AND NOT options STREQUAL "transaction:false")
        sql_error(${line} "unknown option '${options}' (only transaction:false is known)")
      endif()
      if(NOT ${kind}_line STREQUAL "")
        sql_error(${line} "a second '-- migrate:${kind}' section (the first is on line ${${kind}_line})")
      endif()
      if(kind STREQUAL "down" AND up_line STREQUAL "")
        sql_error(${line} "'-- migrate:down' comes before '-- migrate:up'")
      endif()
      set(${kind}_line ${line})
      set(${kind}_options "${options}")
      # The section starts after the marker's line.
      if(newline EQUAL -1)
        string(LENGTH "${content}" ${kind}_start)
      else()
        math(EXPR ${kind}_start "${offset} + ${newline} + 1")
      endif()
      math(EXPR ${kind}_marker "${offset}")
    else()
      sql_error(${line} "unknown marker '${stripped}' (expected '-- migrate:up' or '-- migrate:down')")
    endif()
  elseif(stripped MATCHES "^--[ \t]*sonamu:lossy([ \t]+(.*))?$")
    set(lossy_reason "${CMAKE_MATCH_2}")
    if(down_line STREQUAL "")
      sql_error(${line} "'-- sonamu:lossy' belongs in the '-- migrate:down' section")
    endif()
    if(lossy_reason STREQUAL "")
      sql_error(${line} "'-- sonamu:lossy' needs a reason: '-- sonamu:lossy ages lose their leading zeros'")
    endif()
  elseif(up_line STREQUAL "" AND NOT stripped STREQUAL "" AND NOT stripped MATCHES "^--")
    sql_error(${line} "SQL before the '-- migrate:up' line")
  endif()
  if(newline EQUAL -1)
    break()
  endif()
  math(EXPR next "${newline} + 1")
  string(SUBSTRING "${remaining}" ${next} -1 remaining)
  math(EXPR offset "${offset} + ${next}")
  math(EXPR line "${line} + 1")
endwhile()

if(up_line STREQUAL "")
  sql_error(1 "no '-- migrate:up' line: a SQL migration needs an up section")
endif()
if(down_options STREQUAL "transaction:false" AND NOT up_options STREQUAL "transaction:false")
  sql_error(${down_line} "transaction:false on the down section only: put it on '-- migrate:up', it applies to the whole migration")
endif()

string(LENGTH "${content}" total)
if(down_line STREQUAL "")
  math(EXPR up_length "${total} - ${up_start}")
else()
  math(EXPR up_length "${down_marker} - ${up_start}")
  math(EXPR down_length "${total} - ${down_start}")
  string(SUBSTRING "${content}" ${down_start} ${down_length} down_sql)
endif()
string(SUBSTRING "${content}" ${up_start} ${up_length} up_sql)

# A raw string delimiter that the SQL does not contain.
set(delimiter "sonamu_sql")
set(counter 0)
while(TRUE)
  string(FIND "${content}" ")${delimiter}\"" found)
  if(found EQUAL -1)
    break()
  endif()
  math(EXPR counter "${counter} + 1")
  set(delimiter "sonamu_sql${counter}")
endwhile()

get_filename_component(file_name "${SQL_FILE}" NAME)
if(down_line STREQUAL "")
  set(down_body "  sonamu::irreversible(\"${file_name} has no '-- migrate:down' section\");\n")
else()
  set(down_body "  sonamu::run_sql_script(knex, R\"${delimiter}(${down_sql})${delimiter}\");\n")
endif()
set(lossy_include "")
if(NOT lossy_reason STREQUAL "")
  set(lossy_include "#include <sonamu/lossy.hpp>\n")
  set(down_body "  sonamu::lossy(knex, R\"${delimiter}(${lossy_reason})${delimiter}\");\n${down_body}")
endif()
# The SHA-256 of the SQL file as compiled: the program compares it with the file on disk
# (stale binary) and records it when the migration is applied (edited after applied).
file(SHA256 "${SQL_FILE}" source_hash)
if(up_options STREQUAL "transaction:false")
  set(macro "SONAMU_MIGRATION_WITHOUT_TRANSACTION")
else()
  set(macro "SONAMU_MIGRATION")
endif()

set(generated "// Generated from ${file_name} by sonamu_add_migrations: edit that file, not this one.
#define SONAMU_SOURCE_HASH \"${source_hash}\"
#include <sonamu/migration.hpp>
#include <sonamu/sql_script.hpp>
${lossy_include}
namespace {

void up(sonamu::Knex& knex) {
  sonamu::run_sql_script(knex, R\"${delimiter}(${up_sql})${delimiter}\");
}

void down([[maybe_unused]] sonamu::Knex& knex) {
${down_body}}

}  // namespace

// The migration is named after the SQL file, as a C++ migration after its own source.
#line 1 \"${SQL_FILE}\"
${macro}(up, down)
")

# Unchanged text leaves the file's time alone, so nothing recompiles for nothing.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" previous)
  if(previous STREQUAL generated)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${generated}")
