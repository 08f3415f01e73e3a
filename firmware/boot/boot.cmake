# Flash update and boot: included from firmware/CMakeLists.txt right after vionic_fw is
# defined (before the rv32 build reads its source list).
#  - the mailbox and flash driver join the firmware, with the image checks of host/src
#    (freestanding) compiled in as well
#  - unit tests against the mock HAL (label firmware)
#  - the boot ROM, cross-built by firmware/boot as its own project (needs the rv32 gcc)
# Relative paths: the rv32 build prepends this directory to each source.
target_sources(vionic_fw PRIVATE src/fw_flash.c src/fw_mbox.c
  ../host/src/crc32c.c ../host/src/sha256.c ../host/src/fw_image_check.c)
target_include_directories(vionic_fw PUBLIC ${PROJECT_SOURCE_DIR}/host/include)

foreach(t mbox)
  add_executable(fw_test_${t} tests/test_${t}.c)
  target_link_libraries(fw_test_${t} PRIVATE vionic_fw_mock vionic_fw)
  vionic_target(fw_test_${t})
  add_test(NAME fw_${t} COMMAND fw_test_${t})
  set_tests_properties(fw_${t} PROPERTIES LABELS firmware)
endforeach()

# ---- the boot ROM (cross-built) and its tests on the core ----------------------------
set(VIONIC_RV_PREFIX "riscv64-unknown-elf-" CACHE STRING "cross tool prefix for the rv32 image")
find_program(VIONIC_BOOT_RV_GCC ${VIONIC_RV_PREFIX}gcc)
if(VIONIC_BOOT_RV_GCC)
  set(VIONIC_BOOT_DIR ${CMAKE_CURRENT_BINARY_DIR}/boot CACHE INTERNAL "")
  set(VIONIC_BOOT_BIN ${VIONIC_BOOT_DIR}/vionic-boot.bin CACHE INTERNAL "")
  include(ExternalProject)
  ExternalProject_Add(vionic_boot_rom
    SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/boot
    BINARY_DIR ${VIONIC_BOOT_DIR}
    CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${CMAKE_CURRENT_SOURCE_DIR}/rv32/toolchain-rv32.cmake
               -DVIONIC_RV_PREFIX=${VIONIC_RV_PREFIX} -DVIONIC_GEN_DIR=${VIONIC_GEN_DIR}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    BUILD_BYPRODUCTS ${VIONIC_BOOT_BIN} ${VIONIC_BOOT_DIR}/vionic-boot.elf
                     ${VIONIC_BOOT_DIR}/boot-test-a.elf ${VIONIC_BOOT_DIR}/boot-test-b.elf
    DEPENDS vionic_regs_gen)
  # the test payloads packaged as images
  foreach(m a b)
    add_custom_command(OUTPUT ${VIONIC_BOOT_DIR}/boot-test-${m}.img
      COMMAND vionic-fwimage make --elf ${VIONIC_BOOT_DIR}/boot-test-${m}.elf --version 9.0
              -o ${VIONIC_BOOT_DIR}/boot-test-${m}.img
      DEPENDS vionic_boot_rom vionic-fwimage ${VIONIC_BOOT_DIR}/boot-test-${m}.elf
      COMMENT "boot-test-${m}.img")
  endforeach()
  add_custom_target(vionic_boot ALL DEPENDS ${VIONIC_BOOT_DIR}/boot-test-a.img
    ${VIONIC_BOOT_DIR}/boot-test-b.img)

  if(TARGET tb_boot)
    # boot_test(name args...): tb_boot on the ROM with both test images in their slots
    function(boot_test name)
      add_test(NAME rtl_boot_${name} COMMAND tb_boot --rom ${VIONIC_BOOT_BIN}
        --slot-a ${VIONIC_BOOT_DIR}/boot-test-a.img --slot-b ${VIONIC_BOOT_DIR}/boot-test-b.img ${ARGN})
      set_tests_properties(rtl_boot_${name} PROPERTIES LABELS "rtl;firmware" TIMEOUT 300)
    endfunction()
    boot_test(a_valid --expect-tohost 0xA0000)
    boot_test(a_valid_waits --expect-tohost 0xA0000 --max-wait 3)
    boot_test(bootcfg_b --bootcfg B --expect-tohost 0xB0001)
    # payload byte 2 of A flipped: B boots, FELL_BACK, A's error FW_IMG_BAD_CRC (11)
    boot_test(a_corrupt_b --corrupt-a 130 --expect-tohost 0xB0B05)
    # A's header checksum broken (FW_IMG_BAD_HDR_CRC, 5)
    boot_test(a_bad_hdr_b --corrupt-a 8 --expect-tohost 0xB0505)
    # both bad: BOOT_SLOT_NONE with A's error, and a parked core
    boot_test(none --corrupt-a 130 --corrupt-b 130 --expect-halt 0xB03)
  endif()
else()
  message(STATUS "${VIONIC_RV_PREFIX}gcc not found: skipping the boot ROM")
endif()
