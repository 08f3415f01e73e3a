# Test: packaging an ELF and packaging its objcopy'd flat binary (at the load address and
# entry the ELF gave) produce byte-identical images, so the ELF reader places every
# segment where objcopy does.
#   cmake -DTOOL=vionic-fwimage -DELF=x.elf -DBIN=x.bin -DOUT=prefix -P fwimage_same.cmake
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${TOOL} make --elf ${ELF} --version 1.2 -o ${OUT}-elf.img
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "make --elf ${ELF} failed")
endif()
execute_process(COMMAND ${TOOL} info ${OUT}-elf.img OUTPUT_VARIABLE info RESULT_VARIABLE rc)
message("${info}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OUT}-elf.img is not valid")
endif()
foreach(f "load address|load" "entry point|entry")
  string(REPLACE "|" ";" f "${f}")
  list(GET f 0 label)
  list(GET f 1 var)
  if(NOT info MATCHES "${label}: +([^ \n]+)")
    message(FATAL_ERROR "info prints no ${label}")
  endif()
  set(${var} ${CMAKE_MATCH_1})
endforeach()
execute_process(COMMAND ${TOOL} make --bin ${BIN} --load ${load} --entry ${entry}
                        --version 1.2 -o ${OUT}-bin.img RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "make --bin ${BIN} failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}-elf.img ${OUT}-bin.img
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the image from ${BIN} differs from the one from ${ELF}")
endif()
message(STATUS "identical: ${OUT}-elf.img and ${OUT}-bin.img")
