# vn_toeplitz (the RSS hash, not yet in the RX path) Verilated on its own under
# tb_toeplitz, which checks it against the C reference in sim/src/toeplitz.c.
add_library(vn_toeplitz_rtl OBJECT)
set_target_properties(vn_toeplitz_rtl PROPERTIES SYSTEM ON)
target_compile_options(vn_toeplitz_rtl PRIVATE -O2 -g0 -Wno-unused-parameter)
verilate(vn_toeplitz_rtl PREFIX Vvn_toeplitz TOP_MODULE vn_toeplitz
  SOURCES ${VN_RTL_DIR}/vionic.vlt ${VN_RTL_DIR}/vn_toeplitz.sv
  VERILATOR_ARGS -O3 --x-assign fast --x-initial fast -Wall)

add_executable(tb_toeplitz ${CMAKE_CURRENT_LIST_DIR}/tests/toeplitz/tb_toeplitz.cpp
  ${PROJECT_SOURCE_DIR}/sim/src/toeplitz.c)
target_include_directories(tb_toeplitz PRIVATE ${PROJECT_SOURCE_DIR}/sim/src)
target_link_libraries(tb_toeplitz PRIVATE vn_toeplitz_rtl)
vionic_target(tb_toeplitz)
add_test(NAME rtl_toeplitz COMMAND tb_toeplitz)
set_tests_properties(rtl_toeplitz PROPERTIES LABELS rtl TIMEOUT 120)
