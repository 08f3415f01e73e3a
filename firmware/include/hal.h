/* hal.h: the only way the firmware reaches hardware.  Addresses are the firmware CSR
 * window of the register map (VN_FW_*).  Host build: the cycle model's firmware bus.
 * Cross build: volatile MMIO at the core's CSR base. */
#ifndef VN_HAL_H
#define VN_HAL_H

#include <stdint.h>

uint32_t hal_read32(uint32_t addr);
void hal_write32(uint32_t addr, uint32_t val);

#endif
