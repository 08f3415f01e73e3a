/* Stand-in for the sim transport while the model or firmware libraries are not built:
 * callers link and learn at run time that there is no simulator. */
#include <errno.h>
#include <stddef.h>

#include "vn_log.h"
#include "vn_transport.h"

int vn_tr_sim_open(const struct vn_tr_sim_opts *opts, struct vn_tr **out)
{
    (void)opts;
    *out = NULL;
    vn_log(VN_LOG_ERR, "sim: built without vionic_model / vionic_fw");
    return -ENOSYS;
}

struct vn_model *vn_tr_sim_model(struct vn_tr *tr)
{
    (void)tr;
    return NULL;
}

void vn_tr_sim_set_dma_hook(struct vn_tr *tr, vn_tr_sim_dma_hook fn, void *ctx)
{
    (void)tr;
    (void)fn;
    (void)ctx;
}
