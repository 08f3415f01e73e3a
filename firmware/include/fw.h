/* fw.h: the vionic firmware's entry points.  The firmware is event driven: fw_poll()
 * handles every pending event and advances any procedure in progress; it returns nonzero
 * while such a procedure still needs polling without a new event (a device reset
 * draining, a queue reset waiting for its engine to stop). */
#ifndef VN_FW_H
#define VN_FW_H

#include <stdint.h>

#define FW_VERSION_MAJOR 0
#define FW_VERSION_MINOR 1
#define FW_VERSION ((FW_VERSION_MAJOR << 16) | FW_VERSION_MINOR)

void fw_init(void);
int fw_poll(void);

#endif
