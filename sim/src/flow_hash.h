/* The receive-steering function of the RTL (docs/architecture.md), as the reference the
 * testbench predicts queues with. */
#ifndef VN_FLOW_HASH_H
#define VN_FLOW_HASH_H

#include <stddef.h>
#include <stdint.h>

/* XOR of bytes 26..37 (IPv4 addresses and ports) of an IPv4 frame, else 0. */
uint8_t vn_flow_hash(const uint8_t *frame, size_t len);
/* The receive pair the device steers the frame to with `pairs` pairs active. */
unsigned vn_flow_pair(const uint8_t *frame, size_t len, unsigned pairs);

#endif
