/* crc32c.c: bitwise CRC-32C.  A 64 KiB image takes about 0.5M shift steps, well under a
 * millisecond on the host and a few ms on the core, so the ROM does not need the 1 KiB
 * table a faster version would cost it. */
#include "crc32c.h"

#define CRC32C_POLY_REFLECTED 0x82f63b78u

uint32_t crc32c_update(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (CRC32C_POLY_REFLECTED & (0u - (crc & 1u)));
    }
    return ~crc;
}
