/* crc32c.h: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as iSCSI and ext4 use.
 * Freestanding (the boot ROM compiles it too): no tables in RAM, no libc. */
#ifndef VN_CRC32C_H
#define VN_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: pass 0 to start, the previous result to extend it over more bytes. */
uint32_t crc32c_update(uint32_t crc, const void *data, size_t len);

static inline uint32_t crc32c(const void *data, size_t len)
{
    return crc32c_update(0, data, len);
}

#endif
