# Writes the image's size report and fails the build when it is over budget.
#   cmake -DSIZE=<cross size> -DELF=vionic-fw.elf -DREGS=vionic_regs.h -DOUT=report -P
# IMEM holds .text, .rodata and the load image of .data; DMEM holds .data, .bss and the
# stack reserve (the .stack section).  Budgets are the core's memories, from the regmap.
execute_process(COMMAND ${SIZE} -A -d ${ELF} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SIZE} failed on ${ELF}")
endif()
foreach(s text rodata data bss stack)
  set(${s} 0)
  if(out MATCHES "\n\\.${s} +([0-9]+) ")
    set(${s} ${CMAKE_MATCH_1})
  endif()
endforeach()
file(READ ${REGS} regs)
foreach(m IMEM DMEM)
  if(NOT regs MATCHES "#define VN_CORE_${m}_SIZE +(0x[0-9a-fA-F]+)")
    message(FATAL_ERROR "${REGS} has no VN_CORE_${m}_SIZE")
  endif()
  math(EXPR ${m}_budget "${CMAKE_MATCH_1}")
endforeach()
math(EXPR imem "${text} + ${rodata} + ${data}")
math(EXPR dmem "${data} + ${bss} + ${stack}")
math(EXPR imem_pct "100 * ${imem} / ${IMEM_budget}")
math(EXPR dmem_pct "100 * ${dmem} / ${DMEM_budget}")
get_filename_component(name ${ELF} NAME)
set(report "${name}: rv32im firmware sizes in bytes
text=${text}
rodata=${rodata}
data=${data}
bss=${bss}
stack_reserve=${stack}
imem_used=${imem}
imem_budget=${IMEM_budget}
dmem_used=${dmem}
dmem_budget=${DMEM_budget}
IMEM: text ${text} + rodata ${rodata} + data ${data} = ${imem} of ${IMEM_budget} (${imem_pct}%)
DMEM: data ${data} + bss ${bss} + stack ${stack} = ${dmem} of ${DMEM_budget} (${dmem_pct}%)
")
file(WRITE ${OUT} "${report}")
message(STATUS "${report}")
if(imem GREATER IMEM_budget OR dmem GREATER DMEM_budget)
  message(FATAL_ERROR "${name} is over budget")
endif()
