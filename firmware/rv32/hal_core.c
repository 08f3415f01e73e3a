/* hal_core.c: hal.h on the embedded core, volatile MMIO into the FW CSR window. */
#include "hal.h"
#include "vionic_regs.h"

static volatile uint32_t *csr(uint32_t addr)
{
    return (volatile uint32_t *)(uintptr_t)(VN_CORE_CSR_BASE + addr);
}

uint32_t hal_read32(uint32_t addr)
{
    return *csr(addr);
}

void hal_write32(uint32_t addr, uint32_t val)
{
    *csr(addr) = val;
}
