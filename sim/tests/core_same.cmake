# Runs vionic-sim ${ARGS} with --firmware host and --firmware core and requires the same
# verdict and counts: the firmware's place must not change what the driver sees.  Cycle
# counts and wall time may differ (the core is slower per event).
# Usage: cmake -DSIM=vionic-sim "-DARGS=a;b;c" -P core_same.cmake
if(NOT SIM)
  message(FATAL_ERROR "core_same.cmake: pass -DSIM=path/to/vionic-sim")
endif()
set(keys pass queues device_features driver_features packets tx_frames rx_frames rx_ok rx_bad
    missing bytes rx_drops dma_faults queue_resets device_resets)
foreach(mode host core)
  execute_process(COMMAND ${SIM} --json --firmware ${mode} ${ARGS}
    OUTPUT_VARIABLE out_${mode} RESULT_VARIABLE rc_${mode})
  message(STATUS "${mode}: ${out_${mode}}")
  if(NOT rc_${mode} EQUAL 0)
    message(FATAL_ERROR "--firmware ${mode} failed (exit ${rc_${mode}})")
  endif()
endforeach()
foreach(k ${keys})
  string(JSON vh ERROR_VARIABLE eh GET "${out_host}" ${k})
  string(JSON vc ERROR_VARIABLE ec GET "${out_core}" ${k})
  if(eh AND ec)
    continue()   # a key neither run reports (no resets in this scenario)
  endif()
  if(NOT "${vh}" STREQUAL "${vc}")
    message(FATAL_ERROR "'${k}' differs: host ${vh}, core ${vc}")
  endif()
endforeach()
message(STATUS "host and core agree on: ${keys}")
