/* fw_util.h: the few byte helpers the firmware needs.  Freestanding: no libc, so no
 * memcpy and no <errno.h>; ring and mailbox data are little endian whatever the core is. */
#ifndef VN_FW_UTIL_H
#define VN_FW_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Linux errno values, so a -errno from firmware means the same thing on the host. */
#define FW_EIO 5
#define FW_EPROTO 71
#define FW_ETIMEDOUT 110

static inline uint16_t fw_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t fw_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t fw_le64(const uint8_t *p)
{
    return (uint64_t)fw_le32(p) | ((uint64_t)fw_le32(p + 4) << 32);
}

static inline void fw_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void fw_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void fw_bcopy(uint8_t *dst, const uint8_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i];
}

static inline uint64_t fw_u64(uint32_t lo, uint32_t hi)
{
    return (uint64_t)lo | ((uint64_t)hi << 32);
}

#endif
