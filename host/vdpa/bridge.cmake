# vionic-vdpa itself: needs the model (sim transport) and the wire peer of the testbench.
if(TARGET vionic_model AND VIONIC_HOST_SIM)
  add_executable(vionic-vdpa vdpa_main.c vdpa_bridge.c vdpa_dev.c qmp.c)
  target_link_libraries(vionic-vdpa PRIVATE vionic_vdpa_proto vionic_host vionic_simtb)
  set_target_properties(vionic-vdpa PROPERTIES LINKER_LANGUAGE CXX)
  vionic_target(vionic-vdpa)
endif()

# The bridge against a misbehaving front-end (refusals, malformed messages, a front-end
# vanishing mid-traffic): runs the real binary.
if(TARGET vionic-vdpa)
  add_executable(test_vdpa_neg tests/test_vdpa_neg.c)
  target_link_libraries(test_vdpa_neg PRIVATE vionic_vdpa_proto vionic_regs)
  target_include_directories(test_vdpa_neg PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/../tests)
  vionic_target(test_vdpa_neg)
  add_test(NAME host_vdpa_negative COMMAND test_vdpa_neg $<TARGET_FILE:vionic-vdpa>)
  set_tests_properties(host_vdpa_negative PROPERTIES LABELS host TIMEOUT 120)
endif()
