# Helpers that every directory uses to declare its targets, so that the install layout and
# the test registration are written once.

# pl_daemon(NAME SOURCES... LIBS ...): paceline-NAME, installed under libexec/paceline.
function(pl_daemon name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(paceline-${name} ${A_SOURCES})
  target_link_libraries(paceline-${name} PRIVATE ${A_LIBS})
  install(TARGETS paceline-${name} RUNTIME DESTINATION ${PL_DAEMON_DIR})
endfunction()

# pl_tool(NAME SOURCES... LIBS ...): a command-line tool, installed under sbin.
function(pl_tool name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE ${A_LIBS})
  install(TARGETS ${name} RUNTIME DESTINATION ${PL_TOOL_DIR})
endfunction()

# pl_unit_test(NAME SOURCES... LIBS ...): a cmocka test registered with ctest (label "unit").
function(pl_unit_test name)
  cmake_parse_arguments(A "" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(test_${name} ${A_SOURCES})
  target_link_libraries(test_${name} PRIVATE ${A_LIBS} PkgConfig::CMOCKA)
  set_target_properties(test_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME unit.${name} COMMAND test_${name})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 60)
  endif()
  set_tests_properties(unit.${name} PROPERTIES LABELS unit TIMEOUT ${A_TIMEOUT}
      ENVIRONMENT "PL_TEST_SRCDIR=${CMAKE_SOURCE_DIR};PL_TEST_BINDIR=${CMAKE_BINARY_DIR}")
endfunction()

# pl_script_test(NAME SCRIPT [LABELS ...]): a shell-driven test (integration, conformance).
# The script gets the source and build directories in its environment; exit 77 means skipped.
function(pl_script_test name script)
  cmake_parse_arguments(A "" "TIMEOUT" "LABELS" ${ARGN})
  add_test(NAME ${name} COMMAND ${script})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${A_LABELS}" TIMEOUT ${A_TIMEOUT} SKIP_RETURN_CODE 77
      ENVIRONMENT "PL_TEST_SRCDIR=${CMAKE_SOURCE_DIR};PL_TEST_BINDIR=${CMAKE_BINARY_DIR};PL_BIN=${CMAKE_BINARY_DIR}/bin")
endfunction()
