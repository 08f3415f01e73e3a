# Runs the demo with --pcap and --trace and checks both files were written sensibly.
execute_process(COMMAND ${SIM} --json --packets 40 --queues 2 --pcap ${OUT}.pcap --trace ${OUT}.fst
  RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"pass\":true")
  message(FATAL_ERROR "demo with --pcap/--trace failed (${rc}): ${out}")
endif()
file(READ ${OUT}.pcap magic LIMIT 4 HEX)
if(NOT magic STREQUAL "d4c3b2a1")
  message(FATAL_ERROR "${OUT}.pcap is not a pcap file (magic ${magic})")
endif()
file(SIZE ${OUT}.pcap psize)
file(SIZE ${OUT}.fst fsize)
# 24-byte header + 40 records of >= 16 + 60 bytes
if(psize LESS 3064 OR fsize LESS 1000)
  message(FATAL_ERROR "pcap ${psize} bytes, fst ${fsize} bytes: too small")
endif()
message(STATUS "pcap ${psize} bytes, fst ${fsize} bytes")
