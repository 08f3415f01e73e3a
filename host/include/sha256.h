/* sha256.h: SHA-256 (FIPS 180-4), streaming.  Freestanding (the boot ROM compiles it too):
 * no libc, no malloc; the context is about 100 bytes of caller storage. */
#ifndef VN_SHA256_H
#define VN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32u
#define SHA256_BLOCK_LEN 64u

struct sha256_ctx {
    uint32_t h[8];
    uint64_t total;                  /* bytes hashed so far */
    uint8_t block[SHA256_BLOCK_LEN]; /* partial block */
    uint32_t fill;                   /* bytes in block */
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_DIGEST_LEN]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_LEN]);

#endif
