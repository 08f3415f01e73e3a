# Run a command and check its exit status and output, for tests of command-line tools.
#   cmake -DCMD="prog;arg;..." -DEXIT=N [-DMATCH=regex] [-DNOMATCH=regex] -P expect_exit.cmake
# ctest's PASS_REGULAR_EXPRESSION alone ignores the exit status; usage errors must exit 2.
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
message("${all}")
if(NOT rc STREQUAL "${EXIT}")
  message(FATAL_ERROR "exit status ${rc}, expected ${EXIT}")
endif()
if(DEFINED MATCH AND NOT all MATCHES "${MATCH}")
  message(FATAL_ERROR "output does not match '${MATCH}'")
endif()
if(DEFINED NOMATCH AND all MATCHES "${NOMATCH}")
  message(FATAL_ERROR "output matches '${NOMATCH}'")
endif()
