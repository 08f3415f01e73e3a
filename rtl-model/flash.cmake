# vn_flash (the NOR flash behind FW_FLASH_*) Verilated on its own under tb_flash, one
# ctest per case.  Included from rtl-model/CMakeLists.txt after VN_PKG is defined.
add_library(vn_flash_rtl OBJECT)
if(TARGET vionic_regs_gen)
  add_dependencies(vn_flash_rtl vionic_regs_gen)
endif()
set_target_properties(vn_flash_rtl PROPERTIES SYSTEM ON)
target_compile_options(vn_flash_rtl PRIVATE -O2 -g0 -Wno-unused-parameter)
verilate(vn_flash_rtl PREFIX Vvn_flash TOP_MODULE vn_flash
  SOURCES ${VN_RTL_DIR}/vionic.vlt ${VN_PKG} ${VN_RTL_DIR}/vn_flash.sv
  VERILATOR_ARGS -O3 --x-assign fast --x-initial fast -Wall)

add_executable(tb_flash ${CMAKE_CURRENT_LIST_DIR}/tests/flash/tb_flash.cpp)
target_link_libraries(tb_flash PRIVATE vn_flash_rtl vionic_regs)
vionic_target(tb_flash)
foreach(c info read erase program errors cut-erase cut-program)
  add_test(NAME rtl_flash_${c} COMMAND tb_flash ${c})
  set_tests_properties(rtl_flash_${c} PROPERTIES LABELS rtl TIMEOUT 120)
endforeach()

# tb_boot: the boot ROM on the core, flash emulated behind FW_FLASH_* in its memory
# model (tests in firmware/boot/boot.cmake, where the ROM and its test images are built)
if(TARGET vn_rv32_core_rtl)
  add_executable(tb_boot ${CMAKE_CURRENT_LIST_DIR}/tests/flash/tb_boot.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/flash/tb_boot_img.c)
  target_link_libraries(tb_boot PRIVATE vn_rv32_core_rtl vionic_regs vionic_fwimg)
  vionic_target(tb_boot)
endif()
