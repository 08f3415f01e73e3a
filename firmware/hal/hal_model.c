/* hal_model.c: hal.h over the cycle model's firmware bus. */
#include "hal_model.h"

#include "hal.h"
#include "vn_model.h"

/* One firmware image drives one device, as on the card: the HAL has no handle argument. */
static struct vn_model *bound;

void hal_model_bind(struct vn_model *m)
{
    bound = m;
}

uint32_t hal_read32(uint32_t addr)
{
    return vn_model_fw_read(bound, addr);
}

void hal_write32(uint32_t addr, uint32_t val)
{
    vn_model_fw_write(bound, addr, val);
}
