/* The statically linked (guest) build has no model: --sim is refused. */
#include <errno.h>
#include <stdio.h>

#include "rdev_sim.h"

int rdev_sim_open(uint32_t ip, const uint8_t mac[6], struct vn_tr **out)
{
    (void)ip;
    (void)mac;
    *out = NULL;
    fprintf(stderr, "this build has no simulator: use --device BDF\n");
    return -ENOSYS;
}

void rdev_sim_close(struct vn_tr *tr)
{
    vn_tr_close(tr);
}
