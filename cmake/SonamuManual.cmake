# Files generated from the command line itself, so that they cannot drift from `--help`:
#   man/sonamu.1(.gz)        sonamu(1), by man_page_main from the CLI11 definition, README.md and docs/
#   completion/sonamu        `sonamu completion bash`, for bash-completion's folder
# Both are built by default (target sonamu_manual) and installed with the rest.

add_executable(sonamu_man_page
  tools/man_page/man_page_main.cpp
  tools/man_page/man_page.cpp
  tools/man_page/markdown_roff.cpp)
target_include_directories(sonamu_man_page PRIVATE "${PROJECT_SOURCE_DIR}/tools/man_page")
target_link_libraries(sonamu_man_page PRIVATE sonamu_cli ${SONAMU_CLI11})
sonamu_enable_warnings(sonamu_man_page)

set(SONAMU_MAN_PAGE "${PROJECT_BINARY_DIR}/man/sonamu.1")
# The page quotes sections of these (tools/man_page/man_page.cpp names which).
file(GLOB SONAMU_DOC_PAGES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")
set(SONAMU_BASH_COMPLETION "${PROJECT_BINARY_DIR}/completion/sonamu")
add_custom_command(OUTPUT "${SONAMU_MAN_PAGE}" "${SONAMU_MAN_PAGE}.gz"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${PROJECT_BINARY_DIR}/man"
  COMMAND sonamu_man_page "${PROJECT_SOURCE_DIR}" "${PROJECT_VERSION}" "${SONAMU_MAN_PAGE}"
  # -n: no name or time stamp inside, so the same sources give the same bytes (Debian policy).
  COMMAND gzip -9nkf "${SONAMU_MAN_PAGE}"
  DEPENDS sonamu_man_page "${PROJECT_SOURCE_DIR}/README.md" ${SONAMU_DOC_PAGES}
  COMMENT "Writing the manual page sonamu(1)"
  VERBATIM)
add_custom_command(OUTPUT "${SONAMU_BASH_COMPLETION}"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${PROJECT_BINARY_DIR}/completion"
  COMMAND sh -c "\"$1\" completion bash >\"$2\"" sh "$<TARGET_FILE:sonamu>" "${SONAMU_BASH_COMPLETION}"
  DEPENDS sonamu
  COMMENT "Writing the bash completion of sonamu"
  VERBATIM)
add_custom_target(sonamu_manual ALL DEPENDS "${SONAMU_MAN_PAGE}.gz" "${SONAMU_BASH_COMPLETION}")

# Where bash-completion loads completions from on demand (its pkg-config file says so on
# Debian: /usr/share/bash-completion/completions), relative to the prefix.
install(FILES "${SONAMU_MAN_PAGE}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${SONAMU_BASH_COMPLETION}" DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
# The JSON Schema of sonamu.config.json, for editors.
install(FILES "${PROJECT_SOURCE_DIR}/schema/sonamu.config.schema.json"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/sonamu-migrate/schema")
