/* The --sim side of the real-device test: the in-process model with a wire peer that
 * answers ARP like QEMU's user network, so one test logic serves both transports. */
#ifndef RDEV_SIM_H
#define RDEV_SIM_H

#include <stdint.h>

#include "vn_transport.h"

/* Open the sim transport with a responder for ip (host byte order) at mac on the model's
 * MAC.  0 or -errno (-ENOSYS in a build without the model). */
int rdev_sim_open(uint32_t ip, const uint8_t mac[6], struct vn_tr **out);
/* Close the transport and the peer. */
void rdev_sim_close(struct vn_tr *tr);

#endif
