# vq_engines_tb: vq_engines Verilated on its own under a C++ testbench that models host
# memory behind the tagged read port and drives the queues like a virtio-net driver.
# Included from rtl-model/CMakeLists.txt (after find_package(verilator)); uses VN_RTL_DIR
# (the RTL directory) and VN_PKG (the register-map package for Verilator) from there.
# Verilated C++ is not ours: it is built apart, without the warning policy.
add_library(vq_engines_rtl OBJECT)
if(TARGET vionic_regs_gen)
  add_dependencies(vq_engines_rtl vionic_regs_gen)
endif()
set_target_properties(vq_engines_rtl PROPERTIES SYSTEM ON)
target_compile_options(vq_engines_rtl PRIVATE -g0 -Wno-unused-parameter)
verilate(vq_engines_rtl PREFIX Vvq_engines TOP_MODULE vq_engines
  SOURCES ${VN_RTL_DIR}/vionic.vlt ${VN_PKG} ${VN_RTL_DIR}/vq_engines.sv
  VERILATOR_ARGS -O3 --x-assign fast --x-initial fast -Wall -GQP=4 -y ${VN_RTL_DIR})

# vq_tb.h: the harness; tb_vq_split.cpp / tb_vq_packed.cpp: the scenarios; tb_vq_engines.cpp: main
add_executable(vq_engines_tb ${CMAKE_CURRENT_LIST_DIR}/tb_vq_engines.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tb_vq_split.cpp ${CMAKE_CURRENT_LIST_DIR}/tb_vq_packed.cpp)
target_link_libraries(vq_engines_tb PRIVATE vq_engines_rtl vionic_regs)
vionic_target(vq_engines_tb)
add_test(NAME vq_engines_tb COMMAND vq_engines_tb)
set_tests_properties(vq_engines_tb PROPERTIES LABELS rtl TIMEOUT 600)
