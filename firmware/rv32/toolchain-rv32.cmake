# CMake toolchain file: Debian's riscv64-unknown-elf-gcc building for the vionic core,
# rv32im / ilp32, bare metal.  VIONIC_RV_PREFIX picks another triplet.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(VIONIC_RV_PREFIX "riscv64-unknown-elf-" CACHE STRING "cross tool name prefix")

find_program(CMAKE_C_COMPILER ${VIONIC_RV_PREFIX}gcc REQUIRED)
set(CMAKE_ASM_COMPILER ${CMAKE_C_COMPILER})
find_program(CMAKE_OBJCOPY ${VIONIC_RV_PREFIX}objcopy REQUIRED)
find_program(VIONIC_RV_SIZE ${VIONIC_RV_PREFIX}size REQUIRED)

set(VIONIC_RV_ARCH "-march=rv32im -mabi=ilp32")
# -fno-tree-loop-distribute-patterns: GCC would otherwise turn byte loops into memset and
# memcpy calls, which the image does not have.
set(CMAKE_C_FLAGS_INIT "${VIONIC_RV_ARCH} -Os -g -ffreestanding -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables")
set(CMAKE_ASM_FLAGS_INIT "${VIONIC_RV_ARCH} -g")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${VIONIC_RV_ARCH} -nostdlib -nostartfiles -Wl,--gc-sections")

# Nothing links without the linker script, so probe the compiler with a library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
