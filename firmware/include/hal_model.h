/* hal_model.h: the host-mode HAL.  hal_read32/hal_write32 become firmware-bus accesses
 * of a cycle model (vn_model.h), one cycle each.  Bind the model before fw_init(). */
#ifndef VN_HAL_MODEL_H
#define VN_HAL_MODEL_H

struct vn_model;

void hal_model_bind(struct vn_model *m);

#endif
