# vn_rv32_core (the embedded RV32IM core) Verilated on its own under tb_core, and its
# instruction-level tests: assembly programs in tests/core/asm, cross-built with
# riscv64-unknown-elf-gcc for rv32im/ilp32.  Included from rtl-model/CMakeLists.txt after
# find_package(verilator); uses VN_RTL_DIR from there.
set(VN_CORE_DIR ${CMAKE_CURRENT_LIST_DIR}/tests/core)

# lint alone first, as for vionic_top: a core that fails -Wall costs only this block
execute_process(
  COMMAND ${VERILATOR_BIN} --lint-only -Wall --top-module vn_rv32_core
          ${VN_RTL_DIR}/vionic.vlt ${VN_RTL_DIR}/vn_rv32_core.sv
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
  message(WARNING "rtl-model: vn_rv32_core does not pass Verilator lint; core tests skipped:\n${_out}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${VN_RTL_DIR}/vn_rv32_core.sv)
  return()
endif()

add_library(vn_rv32_core_rtl OBJECT)
set_target_properties(vn_rv32_core_rtl PROPERTIES SYSTEM ON)
target_compile_options(vn_rv32_core_rtl PRIVATE -O2 -g0 -Wno-unused-parameter)
verilate(vn_rv32_core_rtl PREFIX Vvn_rv32_core TOP_MODULE vn_rv32_core
  SOURCES ${VN_RTL_DIR}/vionic.vlt ${VN_RTL_DIR}/vn_rv32_core.sv
  VERILATOR_ARGS -O3 --x-assign fast --x-initial fast -Wall)

add_executable(tb_core ${VN_CORE_DIR}/tb_core.cpp)
target_link_libraries(tb_core PRIVATE vn_rv32_core_rtl)
vionic_target(tb_core)

find_program(VN_RV_GCC riscv64-unknown-elf-gcc)
find_program(VN_RV_OBJCOPY riscv64-unknown-elf-objcopy)
if(NOT VN_RV_GCC OR NOT VN_RV_OBJCOPY)
  message(STATUS "rtl-model: riscv64-unknown-elf-gcc/objcopy not found; core_* tests skipped")
  return()
endif()

# Zicsr and Zifencei are named: binutils 2.40 no longer implies them with rv32im
set(VN_CORE_CFLAGS -march=rv32im_zicsr_zifencei -mabi=ilp32 -nostdlib -nostartfiles -ffreestanding
    -static -Wl,--no-warn-rwx-segments -T ${VN_CORE_DIR}/link.ld -I ${VN_CORE_DIR}/asm -Wall -Wextra -Werror)
add_custom_target(core_tests DEPENDS tb_core)   # builds everything the core_* tests run
# vn_core_program(name SRCS src... [CFLAGS flags] [ARGS tb_core args]): cross-build a test
# program into a flat binary and run it under tb_core as the ctest core_<name>.
function(vn_core_program name)
  cmake_parse_arguments(P "" "" "SRCS;ARGS;CFLAGS" ${ARGN})
  set(_elf ${CMAKE_CURRENT_BINARY_DIR}/core/${name}.elf)
  set(_bin ${CMAKE_CURRENT_BINARY_DIR}/core/${name}.bin)
  list(TRANSFORM P_SRCS PREPEND ${VN_CORE_DIR}/)
  add_custom_command(OUTPUT ${_bin}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/core
    COMMAND ${VN_RV_GCC} ${VN_CORE_CFLAGS} ${P_CFLAGS} -o ${_elf} ${P_SRCS}
    COMMAND ${VN_RV_OBJCOPY} -O binary ${_elf} ${_bin}
    DEPENDS ${P_SRCS} ${VN_CORE_DIR}/link.ld ${VN_CORE_DIR}/asm/core_test.h
            ${VN_CORE_DIR}/c/selftest.h
    COMMENT "core: cross-building ${name}" VERBATIM)
  add_custom_target(core_prog_${name} ALL DEPENDS ${_bin})
  add_dependencies(core_tests core_prog_${name})
  add_test(NAME core_${name} COMMAND tb_core ${P_ARGS} ${_bin})
  set_tests_properties(core_${name} PROPERTIES LABELS rtl TIMEOUT 300)
endfunction()

foreach(t alu branch mem muldiv csr trap)
  vn_core_program(${t} SRCS asm/${t}.S)
endforeach()
vn_core_program(fail SRCS asm/fail.S ARGS --expect 7)

# selftest: compiler output (-O2) on the core against the same C built for the host
add_executable(core_selftest_ref ${VN_CORE_DIR}/c/selftest.c ${VN_CORE_DIR}/c/selftest_host.c)
vionic_target(core_selftest_ref)
set(_sig ${CMAKE_CURRENT_BINARY_DIR}/core/selftest.sig)
add_custom_command(OUTPUT ${_sig}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/core
  COMMAND core_selftest_ref > ${_sig}
  DEPENDS core_selftest_ref COMMENT "core: host signature of selftest")
add_custom_target(core_selftest_sig ALL DEPENDS ${_sig})
add_dependencies(core_tests core_selftest_sig)
vn_core_program(selftest SRCS c/crt0.S c/selftest.c CFLAGS -O2 -I ${VN_CORE_DIR}/c
  ARGS --expect-sig-file ${_sig})
vn_core_program(cpi SRCS asm/cpi.S ARGS --max-cpi 2.5)
