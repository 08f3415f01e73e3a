# Preprocesses link.ld.in with the generated register header into the linker script.
#   cmake -DCPP=<cross gcc> -DIN=link.ld.in -DOUT=link.ld -DINC=<gen dir> -DSTACK=<bytes> -P
# vionic_regs.h writes constants as C literals (0x10000u); ld has no such suffix, so the
# U is dropped from hex literals after preprocessing.
execute_process(
  COMMAND ${CPP} -E -P -x c -undef -DFW_STACK_RESERVE=${STACK} -I${INC} ${IN}
  OUTPUT_VARIABLE script RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "preprocessing ${IN} failed")
endif()
string(REGEX REPLACE "(0[xX][0-9a-fA-F]+)[uU][lL]?[lL]?" "\\1" script "${script}")
if(script MATCHES "VN_[A-Z_]+")
  message(FATAL_ERROR "${IN}: ${CMAKE_MATCH_0} is not in vionic_regs.h")
endif()
file(WRITE ${OUT}.tmp "${script}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
