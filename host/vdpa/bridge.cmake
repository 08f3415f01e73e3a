# vionic-vdpa itself: needs the model (sim transport) and the wire peer of the testbench.
if(TARGET vionic_model AND VIONIC_HOST_SIM)
  add_executable(vionic-vdpa vdpa_main.c vdpa_bridge.c vdpa_dev.c)
  target_link_libraries(vionic-vdpa PRIVATE vionic_vdpa_proto vionic_host vionic_simtb)
  set_target_properties(vionic-vdpa PROPERTIES LINKER_LANGUAGE CXX)
  vionic_target(vionic-vdpa)
endif()
